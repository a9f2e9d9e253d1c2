"""Charts in the terminal: at 80 columns with Chinese labels no line is wider than the terminal,
and the bars read without colour (block characters, values printed beside them)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rich.cells import cell_len

from tuicrm.reports.charts import FULL, NEGATIVE, column_bars, horizontal_bars

NAMES = ["上海华兴五金机电设备有限公司", "Phoenix Trading Co. Ltd", "白艳商贸", "C",
         "(others: 12)", "深圳市万家百货连锁超市有限公司南山分店"]
VALUES = [Decimal("24635.01"), Decimal("19414.23"), Decimal("-1200.50"), Decimal("3.20"),
          Decimal("176262.02"), Decimal("1.00")]


@pytest.mark.parametrize("width", [40, 80, 132])
def test_horizontal_bars_fit_and_read_without_colour(width):
    lines = horizontal_bars(NAMES, VALUES, width, title="前十名客户 Top customers")
    assert max(cell_len(line) for line in lines) <= width
    body = lines[1:]
    assert len(body) == len(NAMES)
    # The largest value has the longest bar; the negative one is shaded and keeps its sign.
    lengths = [line.count(FULL) for line in body]
    assert lengths.index(max(lengths)) == 4
    assert NEGATIVE in body[2] and "-1,200.50" in body[2]
    assert all(any(f"{v:,}" in line for v in VALUES) for line in body)
    # Every bar starts at the same column (labels measured in cells, Chinese ones too).
    starts = {cell_len(line.split("│")[0]) for line in body}
    assert len(starts) == 1


@pytest.mark.parametrize("periods", [5, 12, 31, 365])
def test_column_bars_per_period_fit_80_columns(periods):
    labels = [f"第{i}期" if i % 2 else f"2026-{i % 12 + 1:02d}" for i in range(periods)]
    values = [Decimal(i * 37 % 100) - 10 for i in range(periods)]
    lines = column_bars(labels, values, 80, 8, title="每月销售 Sales per month")
    assert max(cell_len(line) for line in lines) <= 80
    assert any(FULL in line for line in lines)
    scale_top = lines[1].split("│")[0].strip()
    assert Decimal(scale_top.replace(",", "")) in values  # the scale's top is a real value
    assert lines[-1].strip()  # labels under the bars


def test_charts_render_in_16_colours_and_without_colour():
    """Rendered through Rich as the screen does: the same characters whatever the colours."""
    from io import StringIO

    from rich.console import Console
    from rich.text import Text

    text = "\n".join(horizontal_bars(NAMES, VALUES, 80))
    outputs = []
    for system, no_color in (("standard", False), ("standard", True), ("truecolor", False)):
        out = StringIO()
        Console(file=out, width=80, color_system=system, no_color=no_color,
                force_terminal=True).print(Text(text, style="bold"))
        outputs.append(out.getvalue())
    stripped = [__import__("re").sub(r"\x1b\[[0-9;]*m", "", o) for o in outputs]
    assert stripped[0] == stripped[1] == stripped[2]
    assert FULL in stripped[1]
