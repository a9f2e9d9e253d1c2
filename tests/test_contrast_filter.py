"""NO_COLOR's filter (issue 16): colours dropped, a highlight (dark on light) kept as reverse
video, plain text left plain - never black on black."""

from __future__ import annotations

import pytest
from rich.style import Style

from tuicrm.terminal.colour import contrast_style


@pytest.mark.parametrize(("style", "reverse"), [
    ("color(7) on color(0)", False),   # light text on dark: plain
    ("color(0) on color(7)", True),    # a cursor: dark on light
    ("reverse color(7) on color(0)", True),  # drawn reversed: dark on light on screen
    ("reverse", True),                 # the terminal's colours reversed
    ("bold", False),
    ("#ffffff on #000000", False),
    ("#101010 on #e0e0e0", True),
])
def test_highlights_become_reverse_video(style, reverse):
    out = contrast_style(Style.parse(style))
    assert bool(out.reverse) is reverse
    assert out.color is not None and out.color.is_default
    assert out.bgcolor is not None and out.bgcolor.is_default


def test_bold_and_underline_survive():
    out = contrast_style(Style.parse("bold underline color(1) on color(0)"))
    assert out.bold and out.underline
