"""Turn pydantic errors into located problems, and check what pydantic cannot see alone.

Pydantic checks each object's shape; the cross-references (question ids in conditions, scale
values, source ids, ordering of ``when`` dependencies) need the whole checklist and the source
registry, so they live here. Every check yields problems rather than raising, so a maintainer
sees all of a file's problems in one run.
"""

from __future__ import annotations

from typing import Any, Iterator

from pydantic import BaseModel, ValidationError

from .frameworks import FRAMEWORKS
from .model import (UNKNOWN, RedFlag, exposure_rank, UNION_TAGS, Checklist, Choice, Citation, Question, QuestionUse, Section, Source,
                    SourceRegistry)
from .conditions import Condition, tests
from ..errors import MAX_PROBLEMS_PER_FILE, Problem, closest, did_you_mean
from .yamlread import Located


def _field_names(*models: type[BaseModel]) -> set[str]:
    names: set[str] = set()
    for model in models:
        for name, info in model.model_fields.items():
            names.add(info.alias or name)
    return names


KNOWN_KEYS = _field_names(Checklist, Section, Question, QuestionUse, Choice, Citation, Condition, RedFlag, Source,
                          SourceRegistry)


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[str | int, ...]:
    """Keep only the parts of a pydantic ``loc`` that walk the data (drops union tags and the like)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if part in UNION_TAGS:
            continue
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        elif isinstance(node, dict) and isinstance(part, str) and part not in node:
            path.append(part)  # a missing or unknown key: keep it for the message, stop walking
            break
    return tuple(path)


def _clean(msg: str) -> str:
    """Pydantic's wording, without its prefixes and with a lower-case start, to follow 'key': ."""
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    return msg[:1].lower() + msg[1:]


def pydantic_problems(exc: ValidationError, located: Located) -> list[Problem]:
    """One located, actionable problem per pydantic error."""
    problems: list[Problem] = []
    errors = [(err, _data_path(err["loc"], located.data)) for err in exc.errors(include_url=False)]
    # A misspelled key shows up twice (unknown 'guidence', missing 'guidance'): keep the hint only.
    # "Did you mean" costs a fuzzy match per key: only for the problems that will be shown.
    extra = [path for err, path in errors if err["type"] == "extra_forbidden"][:MAX_PROBLEMS_PER_FILE]
    close_to = {path: closest(str(path[-1]), KNOWN_KEYS) for path in extra}
    misspelled = {path[:-1] + (close,) for path, close in close_to.items() if close is not None}
    for err, path in errors:
        kind = err["type"]
        last = path[-1] if path else ""
        if kind == "missing" and path in misspelled:
            continue
        if kind == "extra_forbidden":
            close = close_to.get(path)
            problems.append(located.problem(path, f"unknown key '{last}'",
                                            f"did you mean '{close}'?" if close else "remove it", key=True))
        elif kind == "missing":
            problems.append(located.problem(path[:-1], f"missing required key '{last}'",
                                            f"add '{last}:' here"))
        elif kind in ("string_type", "int_type", "float_type", "list_type", "dict_type", "model_type"):
            got = type(err.get("input")).__name__
            hint = "put it in quotes" if kind == "string_type" and got in ("int", "float", "bool") else ""
            problems.append(located.problem(path, f"'{last}': {err['msg'].lower()}, got {got}", hint))
        else:
            where = f"'{last}': " if isinstance(last, str) and last else ""
            hint = str((err.get("ctx") or {}).get("hint", ""))  # our own PydanticCustomErrors carry one
            problems.append(located.problem(path, where + _clean(err["msg"]), hint))
    return problems


def _condition_problems(condition: Condition, where: tuple[str | int, ...], question: Question,
                        order: dict[str, int], checklist: Checklist, located: Located,
                        *, is_when: bool) -> Iterator[Problem]:
    field = "when" if is_when else "red_flag"
    for target_id, values, sub in tests(condition, None if is_when else question.id):
        path = where + sub
        if target_id is None:
            yield located.problem(path, f"this '{field}' test needs 'question:'",
                                  "name the question whose answer it reads")
            continue
        target = checklist.question(target_id)
        if target is None:
            yield located.problem(path + ("question",), f"'{field}' names unknown question '{target_id}'",
                                  did_you_mean(target_id, order) or "use the id of a question in this checklist")
            continue
        if is_when and target_id == question.id:
            yield located.problem(path + ("question",), f"'{question.id}' depends on itself (a cycle)",
                                  "a 'when' must test an earlier question")
            continue
        if is_when and order[target_id] > order[question.id]:
            yield located.problem(path + ("question",),
                                  f"'{question.id}' depends on the later question '{target_id}'",
                                  "move the question after the one it depends on")
        if not target.scored:
            yield located.problem(path + ("question",),
                                  f"'{target_id}' is a {target.type.value} question; conditions can test "
                                  "choice, multi and yesno questions only", "test a choice question instead")
            continue
        allowed = [c.value for c in checklist.choices(target)]
        for i, value in enumerate(values):
            if allowed and value not in allowed:
                hint = did_you_mean(value, allowed) or f"use one of: {', '.join(allowed)}"
                yield located.problem(path + ("in", i), f"'{value}' is not a value of the scale of '{target_id}'",
                                      hint)


def checklist_problems(checklist: Checklist, located: Located, sources: dict[str, Source]) -> list[Problem]:
    """Cross-reference checks on one parsed checklist."""
    problems: list[Problem] = []
    scales = checklist.all_scales()
    order: dict[str, int] = {}
    seen_sections: set[str] = set()

    for name, choices in checklist.scales.items():
        values = [c.value for c in choices]
        for i, value in enumerate(values):
            if value in values[:i]:
                problems.append(located.problem(("scales", name, i, "value"),
                                                f"scale '{name}' has the value '{value}' twice", "keep one"))

    problems += _scale_problems(checklist, located)

    for s_i, section in enumerate(checklist.sections):
        if section.id in seen_sections:
            problems.append(located.problem(("sections", s_i, "id"), f"duplicate section id '{section.id}'",
                                            "give each section its own id"))
        seen_sections.add(section.id)
        for q_i, question in enumerate(section.questions):
            base = ("sections", s_i, "questions", q_i)
            if question.id in order:
                problems.append(located.problem(base + ("id",), f"duplicate question id '{question.id}'",
                                                "give each question its own id"))
            else:
                order[question.id] = len(order)

    for s_i, section in enumerate(checklist.sections):
        for q_i, question in enumerate(section.questions):
            base = ("sections", s_i, "questions", q_i)
            if checklist.home_of(question.id) != checklist.id:  # a shared question: checked in its home
                if question.when is not None:
                    problems += _condition_problems(question.when, base + ("when",), question, order, checklist,
                                                    located, is_when=True)
                continue
            problems += _framework_problems(question, base, located)
            choices: list[Choice] = []
            if question.scale_name:
                if question.scale_name not in scales:
                    problems.append(located.problem(base + ("scale",), f"unknown scale '{question.scale_name}'",
                                                    did_you_mean(question.scale_name, scales)
                                                    or f"define it under 'scales:' or use one of: {', '.join(scales)}"))
                else:
                    choices = scales[question.scale_name]
            problems += _role_problems(question, choices, base, located)
            values = [c.value for c in choices]
            for value in question.actions:
                if not question.scored:
                    problems.append(located.problem(base + ("actions", value),
                                                    f"a {question.type.value} question has no answer values "
                                                    "to attach actions to", "remove 'actions'", key=True))
                    break
                if choices and value not in values:
                    problems.append(located.problem(base + ("actions", value),
                                                    f"action for '{value}', which is not a value of scale "
                                                    f"'{question.scale_name}'",
                                                    did_you_mean(value, values) or f"use one of: {', '.join(values)}",
                                                    key=True))
            for choice in choices:
                if choice.risk and choice.value not in question.actions:
                    problems.append(located.problem(base + ("actions",) if question.actions else base,
                                                    f"no recommended action for the risky answer '{choice.value}' "
                                                    f"of '{question.id}'",
                                                    f"add actions: {{{choice.value}: \"...\"}}"))
            if question.min is not None and question.max is not None and question.min > question.max:
                problems.append(located.problem(base + ("min",), "'min' is larger than 'max'", "swap them"))
            for field, is_when in (("when", True), ("red_flag", False)):
                condition = getattr(question, field)
                if condition is not None:
                    problems += _condition_problems(condition, base + (field,), question, order, checklist,
                                                    located, is_when=is_when)
            for c_i, citation in enumerate(question.cite):
                if citation.source not in sources:
                    problems.append(located.problem(base + ("cite", c_i, "source"),
                                                    f"unknown source '{citation.source}'",
                                                    did_you_mean(citation.source, sources)
                                                    or "register it in sources.yaml"))
    return problems


def scale_kind(choices: list[Choice]) -> str | None:
    """"exposure" when choices carry ``exposure``, "risk" when they carry ``risk``, "mixed", or None
    when no choice carries either (every answer "not applicable")."""
    kinds = {"exposure" if c.exposure is not None else "risk" for c in choices
             if c.exposure is not None or c.risk is not None}
    return kinds.pop() if len(kinds) == 1 else ("mixed" if kinds else None)


def _scale_problems(checklist: Checklist, located: Located) -> Iterator[Problem]:
    """Scales measure one thing, and "don't know" is the scale's worst (a warning when it says otherwise)."""
    for name, choices in checklist.scales.items():
        kind = scale_kind(choices)
        if kind == "mixed":
            yield located.problem(("scales", name), f"scale '{name}' mixes 'risk' and 'exposure' choices",
                                  "a control scale gives every choice a 'risk', an exposure scale an 'exposure'; "
                                  "split it in two", key=True)
            continue
        unknown = next(((i, c) for i, c in enumerate(choices) if c.value == UNKNOWN), None)
        if unknown is None:
            continue
        i, choice = unknown
        if kind == "risk":
            top = max(c.risk for c in choices if c.risk is not None)
            if choice.risk != top:
                yield located.problem(("scales", name, i), f"scale '{name}' gives 'unknown' the risk "
                                      f"{'none' if choice.risk is None else choice.risk}, below the scale's "
                                      f"highest ({top})", f"set risk: {top}; scoring always counts \"don't know\" "
                                      "as a gap at the highest risk", warning=True)
        elif kind == "exposure" and choice.exposure is not None:
            top_level = max((c.exposure for c in choices if c.exposure is not None), key=exposure_rank)
            if choice.exposure is not top_level:
                yield located.problem(("scales", name, i, "exposure"), f"scale '{name}' gives 'unknown' the "
                                      f"exposure '{choice.exposure.value}', below the scale's highest "
                                      f"('{top_level.value}')", "remove it; \"don't know\" always counts as the "
                                      "scale's highest exposure", warning=True)


def _role_problems(question: Question, choices: list[Choice], base: tuple[str | int, ...],
                   located: Located) -> Iterator[Problem]:
    """Exposure questions read exposure scales, control questions risk scales."""
    if not question.scored or not choices:
        return
    kind = scale_kind(choices)
    if kind == "mixed":
        return  # reported once, on the scale
    where = base + (("role",) if question.role is not None else ("scale",))
    if question.is_exposure and kind != "exposure":
        yield located.problem(where, f"'{question.id}' is an exposure question but scale "
                              f"'{question.scale_name}' gives no 'exposure' levels",
                              "use a scale whose choices carry exposure: none|low|medium|high|severe, "
                              "or make it role: control")
    elif question.is_control and kind == "exposure":
        yield located.problem(where, f"'{question.id}' is a control question but scale "
                              f"'{question.scale_name}' is an exposure scale",
                              "add role: exposure, or use a scale whose choices carry 'risk'")


def _framework_problems(question: Question, base: tuple[str | int, ...], located: Located) -> Iterator[Problem]:
    for name, refs in question.frameworks.items():
        framework = FRAMEWORKS.get(name)
        if framework is None:
            yield located.problem(base + ("frameworks", name), f"unknown framework '{name}'",
                                  did_you_mean(name, FRAMEWORKS) or f"use one of: {', '.join(FRAMEWORKS)}", key=True)
            continue
        for i, ref in enumerate(refs):
            if ref not in framework.items:
                yield located.problem(base + ("frameworks", name, i), f"'{ref}' is not an identifier of '{name}'",
                                      did_you_mean(ref, framework.items)
                                      or f"use one of: {', '.join(list(framework.items)[:12])}")


def registry_problems(registry: SourceRegistry, located: Located) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for i, source in enumerate(registry.sources):
        if source.id in seen:
            problems.append(located.problem(("sources", i, "id"), f"duplicate source id '{source.id}'",
                                            "give each source its own id"))
        seen.add(source.id)
    return problems
