"""The review's charts as SVG, drawn with pygal (the optional `review` extra, imported only here).

Three charts: entries per week by type (stacked bars), incidents by severity, hot files (horizontal bars).
pygal escapes the labels it is given; the inline script it adds (its tooltip configuration, useless without
its JavaScript, which we never load) is removed so that the SVG and an HTML page holding it stay
self-contained and script-free.
"""

from __future__ import annotations

import re
from typing import Any

from whylog.lifecycle.review import Review
from whylog.model.errors import WhylogError

CHART_NAMES = ("entries", "severity", "hot-files")
# pygal's comments carry the time of drawing: dropped so that the same records give the same bytes
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>|<script\b[^>]*/>|<!--.*?-->", re.DOTALL)
_CHART_ID = re.compile(r'id="(chart-[0-9a-f-]+)"')


def _pygal() -> Any:
    try:
        import pygal  # type: ignore[import-untyped]
    except ImportError:
        raise WhylogError(
            "the review charts need pygal, which is not installed", hint="pip install 'whylog[review]'"
        ) from None
    return pygal


def _render(chart: Any, name: str) -> str:
    """The SVG with a fixed id (pygal draws a random one, used by its CSS) so that output is repeatable."""
    svg: str = _SCRIPT.sub("", chart.render(is_unicode=True))
    found = _CHART_ID.search(svg)
    return svg.replace(found[1], f"chart-review-{name}") if found else svg


def _options(title: str) -> dict[str, Any]:
    return {"title": title, "js": [], "disable_xml_declaration": True, "width": 720, "height": 360}


def entries_chart(pygal: Any, report: Review) -> str:
    weeks = sorted({week for week, _, _ in report.weekly})
    chart = pygal.StackedBar(**_options(f"Entries per week by type, {report.period.label}"))
    chart.x_labels = weeks
    for kind in sorted({kind for _, kind, _ in report.weekly}):
        by_week = {week: n for week, k, n in report.weekly if k == kind}
        chart.add(kind, [by_week.get(week, 0) for week in weeks])
    return _render(chart, "entries")


def severity_chart(pygal: Any, report: Review) -> str:
    chart = pygal.Bar(**_options(f"Incidents by severity, {report.period.label}"))
    for severity, count in report.severities:
        chart.add(severity, [count])
    return _render(chart, "severity")


def hot_files_chart(pygal: Any, report: Review) -> str:
    chart = pygal.HorizontalBar(**_options(f"Hot files, {report.period.label}"))
    files = list(reversed(report.hot_files))  # pygal draws the first label at the bottom
    chart.x_labels = [f.path for f in files]
    chart.add("records naming the file", [f.changes for f in files])
    chart.add("incidents", [f.incidents for f in files])
    return _render(chart, "hot-files")


def review_charts(report: Review) -> dict[str, str]:
    """Chart name (one of CHART_NAMES) to SVG text. Raises WhylogError with an install hint without pygal."""
    pygal = _pygal()
    return {
        "entries": entries_chart(pygal, report),
        "severity": severity_chart(pygal, report),
        "hot-files": hot_files_chart(pygal, report),
    }
