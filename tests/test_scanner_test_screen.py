"""The scanner test screen shows what a scanner sends: codes, control characters, timing."""

from __future__ import annotations

from tests.helpers import SIZE, screen_text, send_burst, wait_for
from tuicrm.app import make_app
from tuicrm.screens.home import HomeScreen
from tuicrm.screens.scanner_test import ScannerTestScreen, visible
from tuicrm.widgets.scan_burst import RawKey, ScanTiming

TIMING = ScanTiming(key_gap=0.15, fast_gap=0.1, jitter=0.3, stall_limit=1.0)


def test_control_characters_are_spelled_out():
    keys = [RawKey("ctrl+b", "\x02", 0.0), RawKey("1", "1", 0.001), RawKey("ctrl+at", "\x00", 0.002),
            RawKey("ctrl+]", "\x1d", 0.003), RawKey("tab", "\t", 0.004), RawKey("enter", "\r", 0.005)]
    assert visible(keys) == "<STX>1<NUL><GS><TAB><CR>"


async def test_scans_and_typing_show_with_their_keys(db, admin):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        app.user = admin
        await app.push_screen(HomeScreen())
        screen = ScannerTestScreen()
        screen.SCAN_TIMING = TIMING
        await app.push_screen(screen)
        await pilot.pause()
        send_burst(app, "4006381333931\t")  # a scanner set to end with Tab, one read
        await wait_for(pilot, lambda: screen.scans == 1)
        send_burst(app, "ABC123\r")
        await wait_for(pilot, lambda: screen.scans == 2)
        for key in "xy":  # a person, slowly
            await pilot.press(key)
            await pilot.pause(0.25)
        await wait_for(pilot, lambda: sum(e.startswith("typed") for e in screen.entries) >= 1)
        entries = screen.entries
        assert entries[0].startswith("SCAN    4006381333931  <- 4006381333931<TAB>")
        assert "14 keys in" in entries[0]
        assert entries[1].startswith("SCAN    ABC123  <- ABC123<CR>")
        assert any(e.startswith("typed   x") for e in entries)
        assert screen.scans == 2
        assert "last: ABC123" in screen_text(app)
