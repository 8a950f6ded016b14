"""Allowed values of parameters, declared once per function and checked before any work (in the
spirit of scikit-learn's ``_parameter_constraints``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Callable

import numpy as np

__all__ = ["ParameterError", "Rule", "check", "whole", "number", "share", "options", "one_of",
           "DF", "MIN_DF", "FLAG", "SEED"]


class ParameterError(ValueError, TypeError):
    """A parameter outside its allowed values (a ``ValueError`` and a ``TypeError``, as
    scikit-learn's ``InvalidParameterError``)."""


@dataclass(frozen=True)
class Rule:
    text: str  # what is allowed, for the message: "a whole number >= 1"
    ok: Callable[[object], bool]


def _is_whole(value) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


def whole(low: int, high: int | None = None) -> Rule:
    text = f"a whole number >= {low}" if high is None else f"a whole number from {low} to {high}"
    return Rule(text, lambda v: _is_whole(v) and low <= v and (high is None or v <= high))


def number(low: float | None = None, high: float | None = None, *, above: bool = False) -> Rule:
    """A finite number >= ``low`` (> ``low`` when ``above``) and <= ``high``, where given."""
    text = "a number" + ("" if low is None else f" {'>' if above else '>='} {low}") + (
        "" if high is None else f" and <= {high}")
    return Rule(text, lambda v: _is_number(v) and (low is None or (v > low if above else v >= low))
                and (high is None or v <= high))


def share() -> Rule:
    return Rule("a share (float) from 0.0 to 1.0",
                lambda v: _is_number(v) and not isinstance(v, Integral) and 0 <= v <= 1)


def options(*values) -> Rule:
    return Rule(" or ".join(map(repr, values)),
                lambda v: any(v is x or (isinstance(v, str) and v == x) for x in values))


def one_of(*rules: Rule) -> Rule:
    return Rule(" or ".join(r.text for r in rules), lambda v: any(r.ok(v) for r in rules))


def check(where: str, name: str, value, rule: Rule) -> None:
    if not rule.ok(value):
        raise ParameterError(f"{where}: {name} must be {rule.text}, not {value!r}")


# Shared by the fits and StreamedCorpus.write: scikit-learn's rule for min_df and max_df.
DF = one_of(share(), whole(1))
MIN_DF = one_of(options("auto"), DF)
FLAG = Rule("True or False", lambda v: isinstance(v, (bool, np.bool_)))
SEED = whole(0, 2**32 - 1)  # what numpy.random.RandomState takes
