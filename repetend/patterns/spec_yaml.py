"""The YAML dumper of spec files: PyYAML's safe dumper, with its two busiest steps made cheap.

A spec is mostly strings. PyYAML's representer looks each one up by type in
Python, and its resolver matches each one against the implicit-tag patterns
twice (once as plain, once as quoted). Plain strings get their node directly
here, and a scalar's tag is remembered: keys and values repeat across a spec
(`name`, `type`, `examples`…). The output is PyYAML's, byte for byte.
"""

from __future__ import annotations

import functools
from typing import Any

import yaml
from yaml.nodes import Node, ScalarNode

_BASE: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter when built
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # and its parser
_STR = "tag:yaml.org,2002:str"


class SpecDumper(_BASE):  # type: ignore[misc]
    """The safe dumper, with plain strings represented and scalar tags resolved at once."""

    def represent_data(self, data: Any) -> Node:
        """A plain `str` becomes a scalar node here (what SafeRepresenter makes of it)."""
        if type(data) is str:  # a subclass keeps whatever representer it has
            return ScalarNode(_STR, data, style=self.default_style)
        node: Node = super().represent_data(data)
        return node

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """A scalar's tag from the remembered answers (the resolver is a pure function of it)."""
        if kind is ScalarNode and not self.yaml_path_resolvers:
            return _scalar_tag(value, implicit)
        tag: str = super().resolve(kind, value, implicit)
        return tag


_RESOLVER: Any = yaml.resolver.Resolver()


@functools.lru_cache(maxsize=8192)
def _scalar_tag(value: str, implicit: tuple[bool, bool]) -> str:
    tag: str = _RESOLVER.resolve(ScalarNode, value, implicit)
    return tag


def dump_spec_yaml(document: Any) -> str:
    """YAML as people write it: block style, keys in the order given, unicode kept."""
    from repetend.fileio import printable_values  # a name that is not UTF-8, shown as \xNN

    text: str = yaml.dump(
        printable_values(document),
        Dumper=SpecDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    return text


def load_spec_yaml(text: str) -> Any:
    """A spec's YAML read back: the safe loader, on libyaml's parser when it is built.

    PyYAML's own parser takes ~2 s on the spec of a 5,000-file family, and a drain
    that refits one reads it three times; the constructor (what values become) is
    the safe loader's either way.
    """
    return yaml.load(text, Loader=_LOADER)  # the safe loader, in C
