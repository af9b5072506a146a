"""Inline SVG charts for the HTML report: no plotting library, one self-contained string each.
Pure functions: data in, SVG text out."""

from __future__ import annotations

from html import escape

PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1")
FONT = 'font-family="sans-serif"'


def _num(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if abs(value) >= 10_000:
        return f"{value / 1_000:.0f}k"
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:.2f}"


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _text(
    x: float, y: float, text: str, anchor: str = "middle", extra: str = "", size: int = 11
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {FONT} font-size="{size}" '
        f"{extra}>{escape(text)}</text>"
    )


def _legend(names: list[str], x: float, y: float) -> list[str]:
    out = []
    for i, name in enumerate(names):
        out.append(
            f'<rect x="{x + i * 110}" y="{y - 9}" width="10" height="10" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/>'
        )
        out.append(_text(x + i * 110 + 14, y, name, "start"))
    return out


def bar_chart(
    title: str,
    labels: list[str],
    series: dict[str, list[float]],
    width: int = 640,
    height: int = 300,
) -> str:
    """Vertical grouped bars: one group per label, one bar per series."""
    left, bottom, top = 50, 40, 30
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = max([v for values in series.values() for v in values] + [1e-9])
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    body = [
        _text(width / 2, 16, title, extra='font-weight="bold"'),
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        'stroke="#999"/>',
    ]
    for g, label in enumerate(labels):
        gx = left + g * group_w + group_w * 0.1
        for s, (_, values) in enumerate(series.items()):
            value = values[g]
            h = plot_h * max(value, 0) / peak
            x, y = gx + s * bar_w, top + plot_h - h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(label)}: '
                f"{_num(value)}</title></rect>"
            )
            body.append(_text(x + bar_w / 2, y - 3, _num(value), size=9))
        body.append(_text(left + g * group_w + group_w / 2, top + plot_h + 14, label))
    if len(series) > 1:
        body += _legend(list(series), left, height - 6)
    return _svg(width, height, body, title)


def hbar_chart(
    title: str, labels: list[str], values: list[float], suffix: str = "", width: int = 640
) -> str:
    """Horizontal bars, one per label, with the value written after the bar."""
    row, left, top = 22, 130, 30
    height = top + row * len(labels) + 10
    peak = max(values + [1e-9])
    body = [_text(width / 2, 16, title, extra='font-weight="bold"')]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row
        w = (width - left - 70) * max(value, 0) / peak
        body.append(_text(left - 6, y + 14, label, "end"))
        body.append(
            f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{PALETTE[0]}"/>'
        )
        body.append(_text(left + w + 4, y + 14, _num(value) + suffix, "start"))
    return _svg(width, height, body, title)


def heatmap(
    title: str,
    grid: list[list[float]],
    row_labels: list[str],
    col_labels: list[str],
    x_title: str,
    y_title: str,
    cell: int = 56,
) -> str:
    """A grid of shaded cells (darker = larger), each labelled with its value."""
    left, top = 70, 40
    width, height = left + cell * len(col_labels) + 20, top + cell * len(row_labels) + 40
    peak = max([v for r in grid for v in r] + [1e-9])
    body = [_text(width / 2, 16, title, extra='font-weight="bold"')]
    for r, label in enumerate(row_labels):
        body.append(_text(left - 8, top + r * cell + cell / 2 + 4, label, "end"))
        for c, value in enumerate(grid[r]):
            shade = 0.08 + 0.92 * value / peak
            body.append(
                f'<rect x="{left + c * cell}" y="{top + r * cell}" width="{cell - 2}" '
                f'height="{cell - 2}" fill="{PALETTE[0]}" fill-opacity="{shade:.2f}"/>'
            )
            color = "#fff" if shade > 0.55 else "#222"
            body.append(
                _text(
                    left + c * cell + cell / 2 - 1,
                    top + r * cell + cell / 2 + 4,
                    _num(value),
                    extra=f'fill="{color}"',
                )
            )
    for c, label in enumerate(col_labels):
        body.append(_text(left + c * cell + cell / 2, top + len(row_labels) * cell + 14, label))
    body.append(_text(left + cell * len(col_labels) / 2, height - 6, x_title))
    body.append(
        _text(
            14,
            top + cell * len(row_labels) / 2,
            y_title,
            extra=f'transform="rotate(-90 14 {top + cell * len(row_labels) / 2})"',
        )
    )
    return _svg(width, height, body, title)
