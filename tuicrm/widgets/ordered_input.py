"""An Input that carries out its own editing keys in the order they reached it.

Textual resolves a key's binding (Backspace, Ctrl+U, Home, arrows ...) after the key has
bubbled up from the widget it was sent to, against whatever has focus by then. Keys that
arrive in one read over SSH ("Ctrl+U 5 Tab 2 0") are sent on at once, and Tab moves the focus
at once (so "2 0" reach the next field): Ctrl+U then cleared the *next* field, after "20"
was typed into it. Run here, in this field's own queue, an editing key does what it means to
this field, whatever has focus a moment later. Keys the Input does not bind itself (Up, Down:
its scroll bindings come from Widget) still go up the chain to the screen as before.
"""

from __future__ import annotations

from functools import cache

from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import Input


@cache
def _editing_bindings(cls: type[Input]) -> dict[str, Binding]:
    """The bindings the Input classes of ``cls`` declare (not those inherited from Widget)."""
    found: dict[str, Binding] = {}
    for klass in reversed(cls.__mro__):
        if not (isinstance(klass, type) and issubclass(klass, Input)):
            continue
        declared: list[BindingType] = list(klass.__dict__.get("BINDINGS", []))
        for item in declared:
            if isinstance(item, Binding) and not item.priority:
                for key in item.key.split(","):
                    found[key.strip()] = item
    return found


class OrderedInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        binding = None if event.is_printable else _editing_bindings(type(self)).get(event.key)
        if binding is not None and await self.app.run_action(binding.action, self):
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)
