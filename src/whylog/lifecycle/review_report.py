"""A `Review` as JSON (the numbers), as Markdown that links chart files, and as a self-contained HTML page
with the charts inline. Every piece of record text in HTML goes through `html.escape`."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from whylog.lifecycle.review import Review
from whylog.lifecycle.review_calibration import FOLLOW_DAYS, calibration_lines
from whylog.lifecycle.review_period import Period
from whylog.model import to_json


def _end(period: Period) -> str | None:
    """The day the period ends before, None when it runs through 9999-12-31 (no day comes after)."""
    return None if period.end == date.max else period.end.isoformat()


def review_json(report: Review) -> dict[str, Any]:
    data: dict[str, Any] = to_json(report)
    for key in ("period", "previous"):
        period = getattr(report, key)
        data[key] = period and {"label": period.label, "start": period.start.isoformat(), "end": _end(period)}
    data["counts"] = [{**to_json(c), "change": c.change} for c in report.counts]
    data["weekly"] = [{"week": w, "type": t, "count": n} for w, t, n in report.weekly]
    data["severities"] = [{"severity": s, "count": n} for s, n in report.severities]
    data["calibration"]["table"] = [{**to_json(r), "share": round(r.share, 3)} for r in report.calibration.table]
    return data


def _change(value: int | None) -> str:
    """ "+2 " against a previous period, "change n/a" without one."""
    if value is None:
        return "change n/a"
    return (f"+{value}" if value > 0 else str(value)) + " "


def _duration(minutes: int | None) -> str:
    return "n/a" if minutes is None else f"{minutes // 60}h {minutes % 60:02d}m"


def sections(report: Review) -> list[tuple[str, list[str]]]:
    """The report as (heading, lines of plain text) pairs, shared by the Markdown and HTML forms."""
    prev = report.previous.label if report.previous else "no previous period"
    versus = f"vs {prev}" if report.previous else ": no previous period"
    counts = [f"{c.group} {c.name}: {c.count} ({_change(c.change)}{versus})" for c in report.counts]
    recurring = [
        f"{', '.join(g.record_ids)}: shared "
        + "; ".join(
            part
            for part in (
                f"files {', '.join(g.files)}" if g.files else "",
                f"services {', '.join(g.services)}" if g.services else "",
                f"terms {', '.join(g.terms)}" if g.terms else "",
            )
            if part
        )
        for g in report.recurring
    ]
    return [
        (f"Counts (change from {prev})", counts),
        ("Recurring problems", recurring),
        (
            "Hot files",
            [f"{f.path}: {_count(f.changes, 'record')}, {_count(f.incidents, 'incident')}" for f in report.hot_files],
        ),
        ("Open items", [f"[{i.kind}] {i.record_id} ({_age(i.age_days)}): {i.text}" for i in report.open_items]),
        ("Blockers left open", [f"{b.record_id} #{b.number} {b.title}: {b.status}" for b in report.blockers]),
        ("Low confidence (under 80%)", [_low(item) for item in report.low_confidence]),
        ("Time to resolve incidents", [f"{t.record_id}: {_duration(t.minutes)}" for t in report.resolve_times]),
        ("Confidence calibration (what followed stated confidence)", calibration_lines(report.calibration)),
    ]


def reliability_rows(report: Review) -> list[list[str]]:
    """The reliability table: a header row, then author, band, entries, followed by trouble, share."""
    rows = [["author", "confidence", "entries", "followed by trouble", "share"]]
    for r in report.calibration.table:
        rows.append([r.author, r.band, str(r.entries), str(r.troubled), f"{r.share:.0%}"])
    return rows


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def _age(days: int | None) -> str:
    return "age unknown" if days is None else f"{days} days old"


def _low(item: Any) -> str:
    more = f", and {item.later_count - len(item.later_ids)} more" if item.later_count > len(item.later_ids) else ""
    later = (
        f"{_count(item.later_count, 'record')} on its files within {FOLLOW_DAYS} days: "
        f"{', '.join(item.later_ids)}{more}"
        if item.later_ids
        else f"no record names its files within {FOLLOW_DAYS} days after"
    )
    return f"{item.record_id} {item.title} ({item.confidence}%): {later}"


def review_markdown(report: Review, chart_paths: dict[str, str]) -> str:
    """Markdown; `chart_paths` maps chart names to the paths (relative to the report) of their SVG files."""
    p = report.period
    end = _end(p)
    span = f"{p.start.isoformat()} to {end} (end excluded)." if end else f"{p.start.isoformat()} to 9999-12-31."
    lines = [f"# Review {p.label}", "", span, ""]
    lines += [f"![{name}]({path})" for name, path in chart_paths.items()]
    for heading, rows in sections(report):
        lines += ["", f"## {heading}", ""]
        lines += [f"- {row}" for row in rows] or ["- none"]
    table = reliability_rows(report)
    lines += ["", "## Reliability by author and confidence", ""]
    rows = ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in table]
    lines += [rows[0], "|" + "---|" * len(table[0]), *rows[1:]]
    return "\n".join(lines) + "\n"


def review_html(report: Review, charts: dict[str, str]) -> str:
    """A self-contained page: the charts inline as SVG, no scripts, no external files."""
    e = html.escape
    title = f"whylog review {report.period.label}"
    blocks = [f"<h1>{e(title)}</h1>"]
    blocks += [f'<figure class="chart">{svg}</figure>' for svg in charts.values()]
    for heading, rows in sections(report):
        items = "".join(f"<li>{e(row)}</li>" for row in rows) or "<li>none</li>"
        blocks.append(f"<h2>{e(heading)}</h2><ul>{items}</ul>")
    head, *table = reliability_rows(report)
    cells = "<tr>" + "".join(f"<th>{e(c)}</th>" for c in head) + "</tr>"
    cells += "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in table)
    blocks.append(f"<h2>Reliability by author and confidence</h2><table>{cells}</table>")
    body = "\n".join(blocks)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}figure{margin:1em 0}</style>"
        f"</head><body>\n{body}\n</body></html>\n"
    )
