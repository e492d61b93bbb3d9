"""Keep the footer true: a binding's description follows the state it toggles."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

#: Footer groups: two keys under one word (`n N Change`), so footers fit 80 columns.
CHANGE = Binding.Group("Change")
FLAGGED = Binding.Group("Flagged")
PAIR = Binding.Group("Pair")
VERSION = Binding.Group("Version")
MATCH = Binding.Group("Match")


def retitle_binding(node: DOMNode, binding_id: str, description: str) -> None:
    """Give the binding `binding_id` of `node` a new description (what pressing it does
    now), and redraw the footer. Only this node's copy of its bindings changes."""
    # Textual 8 has no public way to change a description: the node owns this copy.
    bindings = node._bindings.key_to_bindings
    for key, key_bindings in bindings.items():
        bindings[key] = [
            replace(binding, description=description) if binding.id == binding_id else binding
            for binding in key_bindings
        ]
    node.refresh_bindings()
