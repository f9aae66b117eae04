"""Problems sent as columns (a check helper's answer) come back as the same problems."""

from __future__ import annotations

import pickle

from vaxl.core import models
from vaxl.core.models import Problem, problem_columns, problems_of


def _problems() -> list[Problem]:
    return [
        Problem(severity="error", tab="Timesheet", cell="E14", column="Hours", value="30",
                message="Hours 30 is more than 24.", fix="Split the entry.", client_id="ACME",
                code="hours_out_of_range"),
        Problem(severity="warning", tab="Clients", message="Trợ lý: thiếu email"),  # defaults
        Problem(severity="error", tab="Settings", cell="B3", value='<&"x">', message="m"),
    ]


def test_columns_pickled_and_back_are_the_same_problems() -> None:
    problems = _problems()
    back = problems_of(pickle.loads(pickle.dumps(problem_columns(problems))))
    assert back == problems
    assert [p.public() for p in back] == [p.public() for p in problems]
    assert [p.model_dump() for p in back] == [p.model_dump() for p in problems]
    assert [hash(p) for p in back] == [hash(p) for p in problems]
    assert all(type(p) is Problem for p in back)


def test_no_problems_make_empty_columns() -> None:
    columns = problem_columns([])
    assert len(columns) == len(Problem.model_fields) and not any(columns)
    assert problems_of(columns) == []


def test_problems_are_made_inline_while_that_makes_what_model_construct_makes() -> None:
    # The inline maker is chosen only if it makes exactly model_construct's object; with
    # the pydantic vaxl pins, it does (a newer pydantic that differs gets model_construct).
    maker = models._problem_maker()
    assert maker.__name__ == "inline"
    values = tuple(getattr(_problems()[0], name) for name in Problem.model_fields)
    made = maker(values)
    assert made == Problem.model_construct(**dict(zip(Problem.model_fields, values, strict=True)))
    assert made.model_fields_set == set(Problem.model_fields)
