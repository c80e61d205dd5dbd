"""One registry helper for everything users extend: recognisers, operators, coders, export
formats.

Names are versioned (``"hybrid_coder.v1"``) so an old report can be reproduced after a
behaviour changes: a changed plugin gets a new version instead of silently replacing the old
one. A failed lookup lists the available names. Plugins are added explicitly, with
:meth:`Registry.register`, or by a package entry point in the registry's group (loaded on the
first lookup); nothing registers itself as a side effect of being imported.

Examples
--------
>>> shouts = Registry("shout", entry_point_group=None)
>>> _ = shouts.register("upper.v1", str.upper)
>>> shouts.get("upper.v1")("nhs")
'NHS'
>>> try:
...     shouts.get("lower.v1")
... except ConfigError as error:
...     print(str(error)[:54])
[LE004] unknown shout 'lower.v1'. Available: upper.v1.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from importlib import metadata
from typing import Generic, TypeVar, overload

from lived_experience.errors import ConfigError

T = TypeVar("T")
#: ``name.vN``: lower case, digits and underscores, then the version
VERSIONED_NAME = re.compile(r"^[a-z][a-z0-9_]*\.v[0-9]+$")


class Registry(Generic[T]):
    """Versioned names to objects (factories, classes, functions) of one kind.

    Parameters
    ----------
    kind:
        What is registered, for messages (``"coder"``).
    entry_point_group:
        Package entry-point group read on the first lookup (``"lived_experience.coders"``);
        None for none.
    aliases:
        Short names users may type (``"hybrid"`` -> ``"hybrid_coder.v1"``).
    """

    def __init__(
        self,
        kind: str,
        entry_point_group: str | None = None,
        aliases: Mapping[str, str] | None = None,
    ) -> None:
        self.kind = kind
        self.entry_point_group = entry_point_group
        self.aliases = dict(aliases or {})
        self._items: dict[str, T] = {}
        self._entry_points_loaded = entry_point_group is None

    @overload
    def register(self, name: str) -> Callable[[T], T]: ...

    @overload
    def register(self, name: str, item: T) -> T: ...

    def register(self, name: str, item: T | None = None) -> T | Callable[[T], T]:
        """Add ``item`` under the versioned ``name``; without ``item``, a decorator."""
        if not VERSIONED_NAME.match(name):
            raise ConfigError(
                f"{self.kind} name '{name}' has no version. Fix: name it like "
                f"'{name.split('.')[0].lower() or 'my_' + self.kind}.v1'."
            )
        if name in self._items:
            raise ConfigError(
                f"{self.kind} '{name}' is already registered. Fix: bump its version "
                f"(e.g. '{name.rsplit('.v', 1)[0]}.v{int(name.rsplit('.v', 1)[1]) + 1}')."
            )

        def add(value: T) -> T:
            self._items[name] = value
            return value

        return add if item is None else add(item)

    def _load_entry_points(self) -> None:
        if self._entry_points_loaded:
            return
        self._entry_points_loaded = True
        for entry_point in metadata.entry_points(group=self.entry_point_group or ""):
            if entry_point.name not in self._items:
                self.register(entry_point.name, entry_point.load())

    def resolve(self, name: str) -> str:
        """The versioned name ``name`` stands for (an alias or itself)."""
        return self.aliases.get(name, name)

    def get(self, name: str) -> T:
        """The item registered as ``name`` (or the alias ``name``)."""
        key = self.resolve(name)
        if key not in self._items:
            self._load_entry_points()
        if key not in self._items:
            raise ConfigError(
                f"unknown {self.kind} '{name}'. Available: {', '.join(self.names())}. Fix: "
                f"correct the name, or register yours with register() or a "
                f"'{self.entry_point_group}' entry point."
            )
        return self._items[key]

    def names(self) -> list[str]:
        """Every registered versioned name, sorted."""
        self._load_entry_points()
        return sorted(self._items)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.resolve(name) in self.names()

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())

    def __getitem__(self, name: str) -> T:
        return self.get(name)
