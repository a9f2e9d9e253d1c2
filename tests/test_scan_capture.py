"""Scan capture: scanner bursts reach ``on_scanned`` whatever has focus; typing still works.

Two layers: the timing rules of ``BurstDetector`` (plain unit tests with made-up timestamps),
then Pilot tests of a small screen with a ScanInput, a quantity Input and a DataTable. Scanner
bursts are fed through Textual's own terminal parser (``XTermParser``) and posted to the App
the way the driver posts them; human typing goes through ``pilot.press`` at a human pace.
"""

from __future__ import annotations

import asyncio

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input

from tests.helpers import send_burst, wait_until
from tuicrm.widgets.scan import ScanDiagnostics, ScanInput, Scanned, ScanScreen
from tuicrm.widgets.scan_burst import (
    BurstDetector,
    Captured,
    Deliver,
    Drop,
    ScanTiming,
    classify,
)

EAN = "4006381333931"
EAN2 = "5901234123457"

# -- BurstDetector: the timing rules -------------------------------------------------------


def feed_text(detector: BurstDetector, text: str, start: float, gap: float) -> list:
    """Feed ``text`` as the parser names its keys, ``gap`` seconds apart; return all actions."""
    actions = []
    at = start
    for event in XTermParser().feed(text):
        actions += detector.feed(event.character, event.key, event.character, at)
        at += gap
    return actions


def kinds(actions: list) -> list[str]:
    return [type(action).__name__ for action in actions]


def test_burst_ending_in_enter_is_one_scan_and_nothing_is_delivered():
    detector = BurstDetector()
    actions = feed_text(detector, EAN + "\r", start=10.0, gap=0.002)
    assert kinds(actions) == ["Captured"]
    scan = actions[0].scan
    assert (scan.code, scan.raw) == (EAN, EAN + "\r")
    assert scan.at == pytest.approx(10.0 + 13 * 0.002)
    assert detector.pending == 0 and detector.deadline is None


def test_human_typing_is_held_briefly_then_delivered_unchanged_in_order():
    detector = BurstDetector()
    assert detector.feed("1", "1", "1", 1.0) == []  # held: it might start a scan
    assert detector.deadline == pytest.approx(1.05)
    assert detector.expire(1.04) == []
    released = detector.expire(1.06)
    assert kinds(released) == ["Deliver"] and released[0].items == ("1",)
    # the next key after a human pause releases what was held before it, itself held
    detector.feed("2", "2", "2", 2.0)
    actions = detector.feed("3", "3", "3", 2.2)
    assert kinds(actions) == ["Deliver"] and actions[0].items == ("2",)
    actions = detector.feed("\r", "enter", "\r", 2.4)
    assert [a.items for a in actions] == [("3",), ("\r",)]  # "3" first, then Enter as a key


def test_short_fast_run_and_enter_is_typing_not_a_scan():
    detector = BurstDetector()  # min_length 4: "12" + Enter, however fast, is a person
    actions = feed_text(detector, "12\r", start=0.0, gap=0.001)
    assert kinds(actions) == ["Deliver", "Deliver"]
    assert actions[0].items + actions[1].items == ("1", "2", "\r")


def test_enter_after_a_human_pause_is_not_a_terminator():
    detector = BurstDetector()
    feed_text(detector, EAN, start=0.0, gap=0.002)
    actions = detector.feed("\r", "enter", "\r", 0.026 + 0.3)
    assert kinds(actions) == ["Deliver", "Deliver"]
    assert "".join(actions[0].items) == EAN


def test_tab_and_lf_terminate_and_control_characters_are_left_out_of_the_code():
    detector = BurstDetector()
    actions = feed_text(detector, "\x02" + EAN + "\x00\x03\t", start=0.0, gap=0.001)
    assert kinds(actions) == ["Captured"]
    assert actions[0].scan.code == EAN
    assert actions[0].scan.raw == "\x02" + EAN + "\x00\x03\t"
    actions = feed_text(detector, EAN2 + "\n", start=5.0, gap=0.001)
    assert kinds(actions) == ["Captured"] and actions[0].scan.code == EAN2


def test_cr_lf_gives_one_scan_and_the_lf_is_dropped():
    detector = BurstDetector()
    actions = feed_text(detector, EAN + "\r\n" + EAN2 + "\r\n", start=0.0, gap=0.0)
    assert kinds(actions) == ["Captured", "Drop", "Captured", "Drop"]
    assert [a.scan.code for a in actions if isinstance(a, Captured)] == [EAN, EAN2]


def test_many_scans_in_one_read_come_out_one_each_in_order():
    detector = BurstDetector()
    codes = [f"{n:013d}" for n in range(1, 201)]
    actions = feed_text(detector, "".join(code + "\r" for code in codes), start=0.0, gap=0.0)
    assert all(isinstance(action, Captured) for action in actions)
    assert [action.scan.code for action in actions] == codes


def test_a_machine_made_scan_split_by_an_ssh_hiccup_is_still_one_scan():
    detector = BurstDetector()
    feed_text(detector, EAN[:6], start=0.0, gap=0.0)  # one read...
    assert detector.deadline == pytest.approx(0.25)  # ...clearly a machine: waits for jitter
    actions = feed_text(detector, EAN[6:] + "\r", start=0.12, gap=0.0)  # the rest, 120 ms on
    assert kinds(actions) == ["Captured"] and actions[0].scan.code == EAN


def test_the_first_key_of_a_scan_right_after_another_scan_may_wait_for_the_rest():
    """One read ends with the first digit of the next scan; the rest comes 150 ms later."""
    detector = BurstDetector()
    actions = feed_text(detector, EAN + "\r" + EAN2[0], start=0.0, gap=0.0)
    assert kinds(actions) == ["Captured"]
    assert detector.deadline == pytest.approx(0.25)  # machine speed after the last key
    actions = feed_text(detector, EAN2[1:] + "\r", start=0.15, gap=0.0)
    assert kinds(actions) == ["Captured"] and actions[0].scan.code == EAN2


def test_a_lone_key_after_a_quiet_spell_gets_only_a_persons_pause():
    detector = BurstDetector()
    detector.feed("4", "4", "4", 5.0)
    assert detector.deadline == pytest.approx(5.05)
    assert kinds(detector.expire(5.06)) == ["Deliver"]
    # an F-key just before does not make the next key "machine speed"
    detector.feed("<f4>", "f4", None, 6.0)
    detector.feed("1", "1", "1", 6.001)
    assert detector.deadline == pytest.approx(6.051)


def test_input_still_busy_at_the_deadline_keeps_the_run_open():
    """The input thread was parsing when the time was up: the late-stamped rest continues."""
    detector = BurstDetector()
    detector.feed("4", "4", "4", 5.0)
    assert detector.expire(5.06, input_busy=True) == []
    assert detector.stalled
    actions = feed_text(detector, EAN[1:] + "\r", start=5.09, gap=0.0)
    assert kinds(actions) == ["Captured"] and actions[0].scan.code == EAN
    # ...but not for ever: after stall_limit the held key goes out as typing
    detector.feed("7", "7", "7", 6.0)
    assert detector.expire(6.1, input_busy=True) == [] and detector.stalled
    assert detector.expire(6.9, input_busy=True) == []
    assert kinds(detector.expire(7.01, input_busy=True)) == ["Deliver"]


def test_a_pause_in_a_run_is_bridged_only_by_machine_speed_keys():
    detector = BurstDetector()
    detector.feed("1", "1", "1", 1.0)
    detector.expire(1.06, input_busy=True)  # held on...
    actions = []
    for n, char in enumerate("234"):  # ...but a person goes on typing, 40 ms apart
        actions += detector.feed(char, char, char, 1.1 + 0.04 * n)
    actions += detector.feed("\r", "enter", "\r", 1.2)
    assert kinds(actions) == ["Deliver", "Deliver"]  # typing, in order; no scan
    assert actions[0].items + actions[1].items == ("1", "2", "3", "4", "\r")


def test_fast_human_typing_gets_no_jitter_allowance():
    detector = BurstDetector()  # 4 keys 30 ms apart: fast for a person, slow for a machine
    feed_text(detector, "1234", start=0.0, gap=0.03)
    assert detector.deadline == pytest.approx(0.09 + 0.05)
    actions = detector.feed("\r", "enter", "\r", 0.09 + 0.2)
    assert kinds(actions) == ["Deliver", "Deliver"]  # "1234" typed, then Enter


def test_n_times_code_and_symbols_pass_through_as_typed():
    detector = BurstDetector()
    actions = feed_text(detector, "3*" + EAN + "\r", start=0.0, gap=0.001)
    assert actions[0].scan.code == "3*" + EAN
    actions = feed_text(detector, "AB-12/x y.Z\r", start=1.0, gap=0.001)
    assert actions[0].scan.code == "AB-12/x y.Z"


def test_non_character_keys_break_a_run_and_keep_their_place():
    detector = BurstDetector()
    feed_text(detector, "12", start=0.0, gap=0.001)
    actions = detector.feed("<up>", "up", None, 0.003)
    assert [a.items for a in actions] == [("1", "2"), ("<up>",)]


def test_an_unterminated_run_longer_than_max_length_is_released():
    detector = BurstDetector(ScanTiming(max_length=8))
    actions = feed_text(detector, "123456789", start=0.0, gap=0.0)
    assert kinds(actions) == ["Deliver"] and len(actions[0].items) == 8
    assert detector.pending == 1


def test_classify_and_timing_validation():
    terms = ScanTiming().terminators
    assert classify("1", "1", terms) == "printable"
    assert classify("ctrl+@", "\x00", terms) == "control"
    assert classify("enter", "\r", terms) == "terminator"
    assert classify("backspace", "\x7f", terms) == "other"
    assert classify("escape", "\x1b", terms) == "other"
    assert classify("alt+a", "a", terms) == "other"
    assert classify("up", None, terms) == "other"
    assert classify("ctrl+b", None, terms) == "control"  # kitty keyboard protocol: no text
    assert classify("ctrl+up", None, terms) == "other"
    with pytest.raises(ValueError):
        ScanTiming(key_gap=0.01, fast_gap=0.02)
    with pytest.raises(ValueError):
        ScanTiming(jitter=2.0)  # longer than stall_limit
    with pytest.raises(ValueError):
        ScanTiming(min_length=0)
    with pytest.raises(ValueError):
        ScanTiming(terminators=frozenset())


def test_drop_and_deliver_carry_the_raw_keys():
    detector = BurstDetector()
    actions = feed_text(detector, EAN + "\r\n", start=0.0, gap=0.0)
    assert isinstance(actions[1], Drop) and actions[1].keys[0].key == "ctrl+j"
    actions = detector.feed("x", "x", "x", 1.0) + detector.expire(2.0)
    assert isinstance(actions[0], Deliver) and actions[0].keys[0].character == "x"


# -- Pilot: a screen with a ScanInput, a quantity Input and a DataTable -------------------


class EntryScreen(ScanScreen):
    BINDINGS = [Binding("f5", "mark", "Mark")]

    def __init__(self) -> None:
        super().__init__()
        self.scans: list[Scanned] = []
        self.quantities: list[str] = []
        self.rows_selected = 0
        self.diagnostics: list[ScanDiagnostics] = []
        self.marks = 0

    def compose(self) -> ComposeResult:
        yield ScanInput(id="code")
        yield Input(id="qty", placeholder="quantity")
        table = DataTable(id="lines", cursor_type="row")
        table.add_columns("code", "qty")
        table.add_row("x", "1")
        yield table

    def on_mount(self) -> None:
        self.query_one("#code").focus()

    def on_scanned(self, event: Scanned) -> None:
        self.scans.append(event)

    def on_scan_diagnostics(self, event: ScanDiagnostics) -> None:
        self.diagnostics.append(event)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "qty":
            self.quantities.append(event.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.rows_selected += 1

    def action_mark(self) -> None:
        self.marks += 1


class EntryApp(App):
    BINDINGS = [Binding("ctrl+s", "saved", "Save", priority=True)]

    def __init__(self) -> None:
        super().__init__()
        self.saves = 0

    def on_mount(self) -> None:
        self.push_screen(EntryScreen())

    def action_saved(self) -> None:
        self.saves += 1


@pytest.fixture
async def entry():
    app = EntryApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EntryScreen)
        yield app, pilot, screen


def codes(screen: EntryScreen) -> list[str]:
    return [scan.code for scan in screen.scans]


async def test_scan_while_quantity_has_focus_goes_to_scanned_not_quantity(entry):
    app, pilot, screen = entry
    qty = screen.query_one("#qty", Input)
    qty.focus()
    await pilot.pause()
    send_burst(app, EAN + "\r")
    await wait_until(pilot, lambda: screen.scans)
    assert codes(screen) == [EAN]
    assert screen.scans[0].source == "scanner" and screen.scans[0].raw == EAN + "\r"
    assert qty.value == "" and screen.quantities == []
    assert screen.focused is qty


async def test_human_typing_into_quantity_still_works(entry):
    app, pilot, screen = entry
    qty = screen.query_one("#qty", Input)
    qty.focus()
    await pilot.press("5", "wait:120", "enter")
    await wait_until(pilot, lambda: screen.quantities)
    assert screen.quantities == ["5"] and screen.scans == []
    qty.value = ""
    await pilot.press("1", "wait:120", "2", "wait:120", "enter")
    await wait_until(pilot, lambda: len(screen.quantities) == 2)
    assert screen.quantities == ["5", "12"] and qty.value == "12" and screen.scans == []


async def test_typing_then_a_scan_in_quantity_keeps_both_apart(entry):
    app, pilot, screen = entry
    qty = screen.query_one("#qty", Input)
    qty.focus()
    await pilot.press("7", "wait:150")
    send_burst(app, EAN + "\r")
    await wait_until(pilot, lambda: screen.scans)
    await pilot.press("wait:150", "enter")
    await wait_until(pilot, lambda: screen.quantities)
    assert codes(screen) == [EAN]
    assert screen.quantities == ["7"]  # never "74006381333931", never the scan's digits


async def test_scan_while_table_has_focus_does_not_select_a_row(entry):
    app, pilot, screen = entry
    screen.query_one("#lines", DataTable).focus()
    await pilot.pause()
    send_burst(app, EAN + "\r")
    await wait_until(pilot, lambda: screen.scans)
    assert codes(screen) == [EAN] and screen.rows_selected == 0
    await pilot.press("enter")  # a person's Enter still selects
    await wait_until(pilot, lambda: screen.rows_selected == 1)


async def test_tab_terminator_does_not_move_focus(entry):
    app, pilot, screen = entry
    qty = screen.query_one("#qty", Input)
    qty.focus()
    await pilot.pause()
    send_burst(app, EAN + "\t")
    await wait_until(pilot, lambda: screen.scans)
    assert codes(screen) == [EAN] and screen.focused is qty and qty.value == ""
    await pilot.press("tab")  # a person's Tab still moves on
    await pilot.pause()
    assert screen.focused is screen.query_one("#lines")


async def test_control_characters_are_stripped_from_the_code(entry):
    app, pilot, screen = entry
    screen.query_one("#qty", Input).focus()
    await pilot.pause()
    send_burst(app, "\x02\x00" + EAN + "\x00\x03\r\n")
    await wait_until(pilot, lambda: screen.scans)
    assert codes(screen) == [EAN]
    assert screen.scans[0].raw == "\x02\x00" + EAN + "\x00\x03\r"
    assert screen.query_one("#qty", Input).value == "" and app.saves == 0


async def test_back_to_back_scans_in_one_read_arrive_once_each_in_order(entry):
    app, pilot, screen = entry
    screen.query_one("#qty", Input).focus()
    await pilot.pause()
    sent = [f"{n:013d}" for n in range(1000, 1100)]
    send_burst(app, "".join(code + "\r" for code in sent))
    await wait_until(pilot, lambda: len(screen.scans) >= len(sent))
    assert codes(screen) == sent
    assert screen.query_one("#qty", Input).value == ""


async def test_scans_a_few_ms_apart_per_key_like_a_local_scanner(entry):
    app, pilot, screen = entry
    screen.query_one("#qty", Input).focus()
    await pilot.pause()
    sent = [EAN, EAN2, "3*" + EAN, "ABC-123"]
    for code in sent:
        for char in code + "\r":
            send_burst(app, char)
            await asyncio.sleep(0.003)
    await wait_until(pilot, lambda: len(screen.scans) >= len(sent))
    assert codes(screen) == sent
    assert screen.query_one("#qty", Input).value == ""


@pytest.mark.parametrize(
    "pieces",
    [
        pytest.param([(char, 0.02) for char in EAN + "\r"], id="slow-usb-scanner-20ms-per-key"),
        pytest.param([(EAN[:6], 0.12), (EAN[6:] + "\r", 0)], id="ssh-hiccup-120ms-mid-scan"),
    ],
)
async def test_slow_scanners_and_split_reads_still_make_one_scan(entry, pieces):
    app, pilot, screen = entry
    qty = screen.query_one("#qty", Input)
    qty.focus()
    await pilot.pause()
    for data, pause_after in pieces:
        send_burst(app, data)
        await asyncio.sleep(pause_after)
    await wait_until(pilot, lambda: screen.scans)
    assert codes(screen) == [EAN] and qty.value == ""


async def test_n_times_code_is_passed_through_as_typed(entry):
    app, pilot, screen = entry
    send_burst(app, "3*" + EAN + "\r")
    await wait_until(pilot, lambda: screen.scans)
    assert codes(screen) == ["3*" + EAN]


async def test_multiplier_typed_in_the_code_field_joins_the_next_scan(entry):
    app, pilot, screen = entry
    code = screen.query_one("#code", ScanInput)
    await pilot.press("3", "wait:100", "asterisk", "wait:150")
    assert code.value == "3*"
    send_burst(app, EAN + "\r")
    await wait_until(pilot, lambda: screen.scans)
    assert codes(screen) == ["3*" + EAN] and code.value == ""


async def test_a_scan_does_not_glue_onto_half_typed_text_in_the_code_field(entry):
    app, pilot, screen = entry
    code = screen.query_one("#code", ScanInput)
    await pilot.press("4", "wait:100", "0", "wait:150")
    send_burst(app, EAN2 + "\r")
    await wait_until(pilot, lambda: screen.scans)
    assert codes(screen) == [EAN2] and code.value == "40"


async def test_a_code_typed_by_hand_into_the_code_field_is_submitted_with_enter(entry):
    app, pilot, screen = entry
    code = screen.query_one("#code", ScanInput)
    keys = []
    for char in "ABC12":
        keys += [char, "wait:80"]
    await pilot.press(*keys, "enter")
    await wait_until(pilot, lambda: screen.scans)
    assert codes(screen) == ["ABC12"] and screen.scans[0].source == "typed"
    assert code.value == ""


async def test_keys_and_bindings_of_a_person_still_work(entry):
    app, pilot, screen = entry
    screen.query_one("#qty", Input).focus()
    await pilot.press("9", "wait:100", "ctrl+s", "wait:100", "f5")
    await wait_until(pilot, lambda: screen.marks == 1)
    assert app.saves == 1 and screen.query_one("#qty", Input).value == "9"
    await pilot.press("backspace")
    await pilot.pause()
    assert screen.query_one("#qty", Input).value == ""


async def test_diagnostics_show_the_raw_keys_with_timing(entry):
    app, pilot, screen = entry
    screen.scan_diagnostics = True
    send_burst(app, "\x02" + EAN + "\r")
    await wait_until(pilot, lambda: screen.diagnostics)
    diagnostic = screen.diagnostics[0]
    assert diagnostic.outcome == "scan"
    assert diagnostic.text == "\\x02" + EAN + "\\r"
    assert [key.key for key in diagnostic.keys][:2] == ["ctrl+b", "4"]
    assert all(key.at > 0 for key in diagnostic.keys)
    await pilot.press("x")
    await wait_until(pilot, lambda: len(screen.diagnostics) == 2)
    assert screen.diagnostics[1].outcome == "typed"


async def test_with_capture_off_a_scan_lands_in_the_focused_field(entry):
    """The control: without the router the scan is typed into quantity (the bug)."""
    app, pilot, screen = entry
    screen.scan_enabled = False
    qty = screen.query_one("#qty", Input)
    qty.focus()
    await pilot.pause()
    send_burst(app, EAN)
    await wait_until(pilot, lambda: qty.value == EAN)
    assert screen.scans == []


async def test_a_modal_over_the_scan_screen_gets_its_keys_normally(entry):
    app, pilot, screen = entry

    class Ask(ModalScreen):
        def compose(self) -> ComposeResult:
            yield Input(id="answer")

    await app.push_screen(Ask())
    await pilot.pause()
    send_burst(app, EAN)
    answer = app.screen.query_one("#answer", Input)
    await wait_until(pilot, lambda: answer.value == EAN)
    app.pop_screen()
    await pilot.pause()
    send_burst(app, EAN2 + "\r")
    await wait_until(pilot, lambda: screen.scans)
    assert codes(screen) == [EAN2]


async def test_a_held_key_is_not_lost_when_the_screen_changes(entry):
    app, pilot, screen = entry
    qty = screen.query_one("#qty", Input)
    qty.focus()
    await pilot.pause()

    class Other(ModalScreen):
        def compose(self) -> ComposeResult:
            yield Input(id="other")

    app.post_message(events.Key("8", "8"))
    await pilot.pause(0)  # "8" is held, waiting to see whether a scan follows
    await app.push_screen(Other())
    await wait_until(pilot, lambda: qty.value == "8")
    assert app.screen.query_one("#other", Input).value == ""
