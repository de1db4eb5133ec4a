"""The value classes (kmo_export.values.Value) compare, hash and print exactly as the methods
@dataclass would generate for them: each is held against a copy of itself that has them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from kmo_export.errors import Problem
from kmo_export.model import (
    CellRef,
    CompanySizeUsage,
    Enterprises,
    KeyFigures,
    NewMaximum,
    Part,
    Person,
    Question,
    Source,
    Usage,
)
from kmo_export.rows import NotAvailable
from kmo_export.values import Value


# The same class as @dataclass(frozen=True) makes it, with generated __eq__, __hash__, __repr__.
def _generated(cls: type) -> type:
    fields: list[tuple[str, object, object]] = []
    for f in dataclasses.fields(cls):
        if f.default_factory is not dataclasses.MISSING:
            fields.append((f.name, f.type, dataclasses.field(default_factory=f.default_factory)))
        else:
            fields.append((f.name, f.type, f.default))
    return dataclasses.make_dataclass(cls.__name__, fields, frozen=True)


_USAGE = Usage(2024, 2024, (CompanySizeUsage("small", "kleine", Decimal(25000), Decimal(2471)),))
# Pairs of instances, the second differing from the first in its last field.
_SAMPLES: list[tuple[Value, Value]] = [
    (Problem("a.yaml", "bad", "x.y", 3), Problem("a.yaml", "bad", "x.y", 4)),
    (NotAvailable("n.v.t."), NotAvailable("–")),
    (Person("Jo Brouns", "minister"), Person("Jo Brouns", None)),
    (Part("a)", ("Hoeveel?",)), Part("a)", ("Hoeveel?",), ("Zo veel.",))),
    (Question(1, ("Hoeveel?",)), Question(1, ("Hoeveel?",), (Part("a)"),))),
    (CellRef("themes", "count", "Export"), CellRef("themes", "count", None)),
    (Enterprises(1, 2024, 10), Enterprises(1, 2024, 11)),
    (NewMaximum(dt.date(2025, 1, 1), Decimal(1)), NewMaximum(dt.date(2025, 1, 1), Decimal(2))),
    (_USAGE, dataclasses.replace(_USAGE, new_maximum=NewMaximum(dt.date(2025, 1, 1), Decimal(1)))),
    (KeyFigures(Enterprises(1, 2024, 10)), KeyFigures(Enterprises(1, 2024, 10), _USAGE)),
    (Source("VLAIO", "a.txt", "https://x"), Source("VLAIO", "a.txt", None)),
]


@pytest.mark.parametrize(("one", "other"), _SAMPLES, ids=lambda v: type(v).__name__)
def test_a_value_compares_hashes_and_prints_as_a_generated_dataclass(one: Value, other: Value):
    ref = _generated(type(one))

    def twin(value: Value) -> object:
        return ref(**{f.name: getattr(value, f.name) for f in dataclasses.fields(value)})

    same = dataclasses.replace(one)
    assert same is not one
    assert (one == same, one == other, one != other) == (True, False, True)
    assert (twin(one) == twin(same), twin(one) == twin(other)) == (True, False)
    assert hash(one) == hash(same) == hash(twin(one))
    assert repr(one) == repr(twin(one)) and repr(other) == repr(twin(other))
    assert one.__eq__(twin(one)) is NotImplemented  # another class, even with the same fields
    assert one != twin(one)
    assert dataclasses.is_dataclass(one) and type(one).__dataclass_params__.frozen
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(one, dataclasses.fields(one)[0].name, None)
