"""Keys typed ahead of a screen that is still opening wait for it, then go where it means.

Textual routes every key the moment the App reads it, to whatever has the focus then. A key
that opens a screen ("c" on Home: Customers) is carried out later, in the screen's own turn,
and a screen that has just been pushed has nothing focused until it has mounted: "c/dana"
typed in one go (a fast typist, one read over a slow SSH link, a busy server) gave "/dana" to
Home - where "d" opens Tickets and "a" the Audit trail - or to the new screen before its
search line existed.

So a screen that opens holds the keys that reach it (``HoldsKeys.keys_held``) until it has
mounted and painted once; then they are sent again, in order, through the App's own routing
(priority bindings, then the focused widget), from the App's task, so keys that arrive while
they are being sent come after them. Home opens its areas from the App's task as the key is
read (``takes_key``), so the keys after it already find the new screen.
"""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.screen import Screen, ScreenResultType


class HoldsKeys(Screen[ScreenResultType]):
    """A screen that holds keys typed ahead of its opening (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys_held = True
        self._typed_ahead: list[events.Key] = []

    def hold(self, event: events.Key) -> bool:
        """Keep ``event`` for later if this screen is still opening (called by the App)."""
        if not self.keys_held:
            return False
        self._typed_ahead.append(event)
        return True

    @on(events.Mount)
    def _open_for_keys(self) -> None:
        # After the screen's own on_mount (its focus set) and its first paint.
        self.call_after_refresh(lambda: self.app.call_later(self._send_held_keys))

    async def _send_held_keys(self) -> None:
        """(In the App's task.) Send the held keys as if they had just been read."""
        self.keys_held = False
        held, self._typed_ahead = self._typed_ahead, []
        # The App class's own routing: not a router an instance may have put in front of it
        # (scanning screens': widgets/scan.py), which these keys have been through already.
        route = type(self.app).on_event
        for key in held:  # one that opens another screen: the next are held by that one
            await route(self.app, key)
