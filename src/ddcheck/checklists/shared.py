"""Shared questions: replace each ``use: checklist/question`` item by its home question.

A topic is asked once per assessment however many checklists need it. The question is written in
one checklist (its home); others list ``{use: home/question-id}``. Resolving at load time keeps
every later stage simple: they see ordinary questions, and only ask ``Checklist.home_of`` where
answers are stored, so one answer counts in every checklist that uses the question.

Rules, each reported as a located problem in the using file:
- the home checklist must be in view and must not be the using checklist itself;
- the target must be a question written in the home (not itself a ``use``): one hop, no cycles;
- the target's ``red_flag`` may test only the question itself (other questions of the home are
  not in the using checklist); its ``when`` is replaced by the ``use`` item's own ``when``.
"""

from __future__ import annotations

from typing import Mapping

from ..errors import Problem, did_you_mean
from .conditions import tests
from .model import Checklist, Question, QuestionUse
from .yamlread import Located


def resolve_shared(checklist: Checklist, located: Located,
                   homes: Mapping[str, Checklist]) -> tuple[Checklist, list[Problem]]:
    """The checklist with every ``use`` item replaced by a copy of its home question, and the problems."""
    problems: list[Problem] = []
    scales = dict(checklist.scales)
    shared: dict[str, str] = {}
    sections = []
    for s_i, section in enumerate(checklist.sections):
        items = []
        for q_i, item in enumerate(section.questions):
            if not isinstance(item, QuestionUse):
                items.append(item)
                continue
            where = ("sections", s_i, "questions", q_i, "use")
            question, problem = _target(checklist, item, homes, located, where)
            if problem is not None:
                problems.append(problem)
                continue
            assert question is not None
            home = homes[item.home]
            update: dict[str, object] = {"when": item.when}
            if question.scale and question.scale in home.all_scales():  # else the home reports it
                name = _scale_name(home, question.scale, scales)
                scales[name] = home.all_scales()[question.scale]
                update["scale"] = name
            items.append(question.model_copy(update=update))
            shared[item.id] = item.home
        sections.append(section.model_copy(update={"questions": items}))
    if not shared and not problems:
        return checklist, problems
    resolved = checklist.model_copy(update={"sections": sections, "scales": scales})
    resolved._homes = shared
    return resolved, problems


def _target(checklist: Checklist, item: QuestionUse, homes: Mapping[str, Checklist], located: Located,
            where: tuple[str | int, ...]) -> tuple[Question | None, Problem | None]:
    if item.home == checklist.id:
        return None, located.problem(where, f"'{item.use}' is a question of this checklist",
                                     "write the question here instead of 'use'")
    home = homes.get(item.home)
    if home is None:
        return None, located.problem(where, f"'{item.use}': no checklist with id '{item.home}' is in view",
                                     did_you_mean(item.home, homes) or "add its folder with --checklists DIR")
    question = home.question(item.id)
    if question is None:
        used = next((q for s in home.sections for q in s.questions if isinstance(q, QuestionUse) and q.id == item.id),
                    None)
        if used is not None:
            return None, located.problem(where, f"'{item.use}' is itself shared from '{used.home}'",
                                         f"use: {used.use}")
        ids = [q.id for _, q in home.questions()]
        return None, located.problem(where, f"'{item.home}' has no question '{item.id}'",
                                     did_you_mean(item.id, ids) or f"see 'ddcheck checklists show {item.home}'")
    if question.red_flag is not None:
        others = {target for target, _, _ in tests(question.red_flag, question.id)} - {question.id}
        if others:
            return None, located.problem(where, f"'{item.use}' cannot be shared: its red_flag also tests "
                                         f"{', '.join(sorted(others))}",
                                         "make the red flag test the question itself, or copy the question")
    return question, None


def _scale_name(home: Checklist, name: str, scales: dict[str, object]) -> str:
    """The home scale's name here: the same name when it means the same, else one prefixed by the home."""
    home_choices = home.all_scales()[name]
    if scales.get(name, home_choices) == home_choices:
        return name
    return f"{home.id}.{name}"
