"""Equality, hash and repr by field values, for the frozen dataclasses compared by value.

``@dataclass(frozen=True)`` compiles a ``__eq__``, ``__hash__`` and ``__repr__`` for each class
when its module is imported, in every run of the command (about 0.15 ms a class). A class that
is compared by value (a :class:`~kmo_export.model.Question`, a
:class:`~kmo_export.errors.Problem`) takes the same three from :class:`Value` instead, written
once: ``@dataclass(frozen=True, eq=False, repr=False)`` and ``Value`` as its base. They behave
as the generated ones: equal when of the same class with equal fields, in field order; the hash
of the fields' tuple; ``Name(field=value!r, ...)``.
"""

from __future__ import annotations

from dataclasses import fields
from reprlib import recursive_repr


class Value:
    """Base of a frozen dataclass compared by value (see the module's docstring)."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            names = _names(self.__class__)[0]
            return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, n) for n in _names(self.__class__)[1]))

    @recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in _names(self.__class__)[2])
        return f"{self.__class__.__qualname__}({shown})"


# The field names a Value class compares, hashes and shows, in order (as @dataclass picks them).
def _names(cls: type) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    names = _NAMES.get(cls)
    if names is None:
        every = fields(cls)
        names = _NAMES[cls] = (
            tuple(f.name for f in every if f.compare),
            tuple(f.name for f in every if (f.compare if f.hash is None else f.hash)),
            tuple(f.name for f in every if f.repr),
        )
    return names


_NAMES: dict[type, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}
