"""Reading a template back from the Jinja2 source repetend wrote for it.

The spec keeps only the source; the real-time hooks and the refit of changed
members read its fixed parts and slots back from Jinja2's own parse tree.
"""

from __future__ import annotations

from itertools import count

from jinja2 import nodes

from repetend.templates.parts import Fixed, Optional, Part, Slot, joined, sandbox


def parts_from_source(source: str, path_names: set[str]) -> list[Part]:
    """The parts of a template from its Jinja2 source (as `jinja_source` writes it).

    A slot is the template's own (its text is read from a file) at the first
    plain use of a name that is not a path variable; a filtered or repeated
    use renders from that value.
    """
    tree = sandbox().parse(source)
    return joined(_from_nodes(tree.body, count(), set(path_names)))


def _from_nodes(body: list[nodes.Node], ids: count[int], seen: set[str]) -> list[Part]:
    parts: list[Part] = []
    for node in body:
        if isinstance(node, nodes.Output):
            parts.extend(_from_expression(child, ids, seen) for child in node.nodes)
        elif isinstance(node, nodes.If) and _flag(node.test) is not None:
            chosen = _from_nodes(node.body, ids, seen)
            otherwise = _from_nodes(node.else_, ids, seen)
            usual = isinstance(node.test, nodes.Filter)
            flag = _name(_flag(node.test) or node.test)
            parts.append(Optional(flag, chosen, otherwise=otherwise, usual=usual))
        elif isinstance(node, nodes.For) and _item_loop(node) is not None:
            slot = _slot(_name(node.iter), "", ids, seen)
            slot.items = _from_nodes(_item_loop(node) or [], count(), set())
            parts.append(slot)
        elif isinstance(node, nodes.For) and isinstance(node.iter, (nodes.Name, nodes.Getattr)):
            slot = _separated_loop(node, _name(node.iter), ids, seen)
            if _name(node.target) != "item":  # items with fields: `{% for c in contributors %}`
                slot.items = _from_nodes(node.body[:-1], count(), set())
            parts.append(slot)
    return parts


def _separated_loop(node: nodes.For, name: str, ids: count[int], seen: set[str]) -> Slot:
    """A loop over a list's items with a separator: a string, or a variable (`spacing`)."""
    slot = _slot(name, "", ids, seen)
    last = node.body[-1] if node.body else node  # `{% if not loop.last %}` and the separator
    each = _name(node.target)
    spacing = [n.name for n in last.find_all(nodes.Name) if n.name not in (name, each, "loop")]
    separator = next(iter(last.find_all(nodes.Const)), None)
    if spacing and separator is None:
        slot.spacing = _slot(spacing[0], "", ids, seen)
    else:
        slot.separator = str(separator.value) if separator is not None else ""
    return slot


def _from_expression(node: nodes.Node, ids: count[int], seen: set[str]) -> Part:
    if isinstance(node, nodes.TemplateData):
        return Fixed(node.data)
    if isinstance(node, nodes.Const):
        return Fixed(str(node.value))
    if isinstance(node, nodes.Filter) and isinstance(node.node, nodes.Name):
        return _slot(node.node.name, node.name, ids, seen)
    if isinstance(node, (nodes.Name, nodes.Getattr)):
        return _slot(_name(node), "", ids, seen)
    raise ValueError(f"not a template repetend writes: {type(node).__name__}")


def _flag(test: nodes.Node) -> nodes.Node | None:
    """The flag a section's test reads: `has_x`, `step.has_x`, or `has_x | default(true)`."""
    if isinstance(test, (nodes.Name, nodes.Getattr)):
        return test
    usual = isinstance(test, nodes.Filter) and test.name == "default" and len(test.args) == 1
    if usual and isinstance(test.node, (nodes.Name, nodes.Getattr)):  # type: ignore[attr-defined]
        argument = test.args[0]  # type: ignore[attr-defined]
        if isinstance(argument, nodes.Const) and argument.value is True:
            return test.node  # type: ignore[attr-defined]
    return None


def _name(node: nodes.Node) -> str:
    """`steps` of `steps`, `name` of `step.name` (a variable of one item of a loop)."""
    return str(node.attr if isinstance(node, nodes.Getattr) else getattr(node, "name", ""))


def _item_loop(node: nodes.For) -> list[nodes.Node] | None:
    """The body of one item of a loop over multi-line items (inside its indent filter)."""
    blocks = [child for child in node.body if isinstance(child, nodes.FilterBlock)]
    return list(blocks[0].body) if blocks else None


def _slot(name: str, form: str, ids: count[int], seen: set[str]) -> Slot:
    slot = Slot(next(ids), name, form, tied=bool(form) or name in seen)
    seen.add(name)
    return slot
