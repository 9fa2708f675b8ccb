"""`Status` as text for a terminal, as JSON, and as a self-contained HTML page with an SVG chart.

The chart is a few lines of hand-written SVG (features passing per session note), so the page needs
no plotting library and no network. Every piece of record text goes through `html.escape`.
"""

from __future__ import annotations

import html
from typing import Any

from whylog.lifecycle.status import FeaturePoint, Status
from whylog.model import to_json


def status_json(state: Status) -> dict[str, Any]:
    data: dict[str, Any] = to_json(state)
    data["features"] = None if state.features is None else {"passing": state.features[0], "total": state.features[1]}
    return data


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


def status_text(state: Status) -> str:
    lines = []
    if state.features is not None:
        passing, total = state.features
        lines.append(f"features: {passing}/{total} passing ({_percent(passing, total)}) in feature_list.json")
    if state.trend:
        lines.append("features claimed by session notes:")
        lines += [f"  session {p.number} ({p.date}) {p.record_id}: {p.passing}/{p.total}" for p in state.trend]
    if state.blockers:
        lines.append("blockers:")
        for b in state.blockers:
            ready = f", {b.readiness}% ready claimed" if b.readiness is not None else ""
            lines.append(f"  {b.record_id}: {b.resolved}/{b.total} resolved ({_percent(b.resolved, b.total)}){ready}")
    if state.open_items:
        lines.append("open:")
        lines += [f"  [{i.kind}] {i.record_id}: {i.text}" for i in state.open_items]
    lines.append(f"claims audited: {len(state.findings)} finding(s)")
    for f in state.findings:
        where = f"{f.path}:{f.line}: " if f.path and f.line else f"{f.path}: " if f.path else ""
        lines.append(f"  {where}{f.code} {f.record_id}: {f.message}")
    lines += [f"note: {note}" for note in state.notes]
    return "\n".join(lines) + "\n"


def trend_svg(points: tuple[FeaturePoint, ...], width: int = 640, height: int = 240) -> str:
    """A line chart of features passing per session note, as inline SVG."""
    pad = 40
    top = max([p.total for p in points] + [p.passing for p in points] + [1])
    step = (width - 2 * pad) / max(len(points) - 1, 1)

    def xy(index: int, value: int) -> tuple[float, float]:
        return pad + index * step, height - pad - (height - 2 * pad) * value / top

    coords = [xy(i, p.passing) for i, p in enumerate(points)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="features passing per session">',
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#888"/>',
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="#888"/>',
        f'<text x="4" y="{pad}" font-size="11">{top}</text>',
        f'<text x="4" y="{height - pad}" font-size="11">0</text>',
    ]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="{path}"/>')
    for (x, y), p in zip(coords, points, strict=True):
        label = html.escape(f"session {p.number} ({p.date}): {p.passing}/{p.total}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#1f77b4"><title>{label}</title></circle>')
        parts.append(f'<text x="{x:.1f}" y="{height - pad + 16}" font-size="11" text-anchor="middle">{p.number}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _list(title: str, rows: list[str]) -> str:
    if not rows:
        return ""
    items = "".join(f"<li>{row}</li>" for row in rows)
    return f"<h2>{html.escape(title)}</h2><ul>{items}</ul>"


def status_html(state: Status, title: str = "whylog status") -> str:
    """A self-contained page: no scripts, no external files."""
    e = html.escape
    blocks = [f"<h1>{e(title)}</h1>"]
    if state.features is not None:
        blocks.append(f"<p>Features passing: {state.features[0]}/{state.features[1]} in feature_list.json</p>")
    if state.trend:
        blocks.append("<h2>Features passing by session</h2>" + trend_svg(state.trend))
    blocks.append(
        _list("Blockers", [f"{e(b.title)} ({e(b.record_id)}): {b.resolved}/{b.total} resolved" for b in state.blockers])
    )
    blocks.append(_list("Open", [f"[{e(i.kind)}] {e(i.record_id)}: {e(i.text)}" for i in state.open_items]))
    blocks.append(
        _list("Claims that do not hold", [f"{e(f.code)} {e(f.record_id)}: {e(f.message)}" for f in state.findings])
    )
    blocks.append(_list("Notes", [e(n) for n in state.notes]))
    body = "\n".join(b for b in blocks if b)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}</style>"
        f"</head><body>\n{body}\n</body></html>\n"
    )
