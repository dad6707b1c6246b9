"""Structured conditions for ``when`` and ``red_flag``: data, never strings evaluated as code.

A condition is one of four shapes, written in YAML as a mapping:

- ``{question: ID, in: [v1, v2]}`` — the answer to ID is one of the values (for a multi-choice
  question: any chosen value is). In a ``red_flag``, ``question`` may be left out to mean the
  question the flag belongs to.
- ``{all: [cond, ...]}``, ``{any: [cond, ...]}``, ``{not: cond}``.

A question that has no answer satisfies no ``in`` test, so a ``when`` that depends on an
unanswered question keeps the dependent question hidden until it is answered.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Condition(BaseModel):
    """One node of a condition tree; exactly one of ``in``, ``all``, ``any``, ``not`` is set."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    question: str | None = Field(default=None, description="Question id the `in` test reads.")
    in_: list[str] | None = Field(default=None, alias="in", min_length=1,
                                  description="Values of the question that make this true.")
    all_: list[Condition] | None = Field(default=None, alias="all", min_length=1)
    any_: list[Condition] | None = Field(default=None, alias="any", min_length=1)
    not_: Condition | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _exactly_one_shape(self) -> Condition:
        shapes = [name for name, value in (("in", self.in_), ("all", self.all_), ("any", self.any_),
                                           ("not", self.not_)) if value is not None]
        if len(shapes) != 1:
            raise ValueError(
                "a condition needs exactly one of 'in', 'all', 'any' or 'not'"
                + (f" (found {', '.join(shapes)})" if shapes else "")
                + "; for example {question: sources-from-china, in: [\"yes\"]}"
            )
        if self.question is not None and self.in_ is None:
            raise ValueError("'question' goes with 'in', e.g. {question: q1, in: [\"no\"]}")
        return self


def tests(condition: Condition, default_question: str | None = None,
          path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | None, list[str], tuple[str | int, ...]]]:
    """Yield every ``in`` test as (question id, values, path within the condition), for checking."""
    if condition.in_ is not None:
        yield condition.question or default_question, condition.in_, path
    for key, children in (("all", condition.all_), ("any", condition.any_)):
        for i, child in enumerate(children or []):
            yield from tests(child, default_question, path + (key, i))
    if condition.not_ is not None:
        yield from tests(condition.not_, default_question, path + ("not",))


def holds(condition: Condition, answers: Mapping[str, Any], default_question: str | None = None) -> bool:
    """Evaluate a condition against answer values by question id (a value may be a list)."""
    if condition.in_ is not None:
        value = answers.get(condition.question or default_question or "")
        if value is None:
            return False
        chosen = value if isinstance(value, list) else [value]
        return any(str(v) in condition.in_ for v in chosen)
    if condition.all_ is not None:
        return all(holds(c, answers, default_question) for c in condition.all_)
    if condition.any_ is not None:
        return any(holds(c, answers, default_question) for c in condition.any_)
    assert condition.not_ is not None
    return not holds(condition.not_, answers, default_question)


def describe(condition: Condition, default_question: str | None = None) -> str:
    """A short human reading of a condition, for outlines and reports."""
    if condition.in_ is not None:
        return f"{condition.question or default_question} in [{', '.join(condition.in_)}]"
    if condition.not_ is not None:
        return f"not ({describe(condition.not_, default_question)})"
    joiner, parts = (" and ", condition.all_) if condition.all_ is not None else (" or ", condition.any_ or [])
    return "(" + joiner.join(describe(c, default_question) for c in parts) + ")"
