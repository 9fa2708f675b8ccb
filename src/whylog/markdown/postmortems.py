"""What an incident write-up means, whatever its template: the severity in one vocabulary, the timeline
as timed events, action items from checkboxes or a table with owners and states, the times to detect
and to resolve, and the language of a translated twin.

Both the general reader (postmortems, one per file, and incident ledgers in other shapes) and the
INCIDENTS.md reader fill `IncidentFields` through these functions, so an incident reads the same in every
template. The severity is kept as written (`severity`: `SEV2`, `P1`, `🟡 Medium`, `Alta`) and normalized
into `level`: one of LEVELS, or "" when the word is not one of them.
"""

from __future__ import annotations

import dataclasses
import os
import re
from datetime import datetime

from whylog.markdown.dates import find_date
from whylog.markdown.labels import field_of
from whylog.markdown.scan import Lines
from whylog.markdown.values import read_mark
from whylog.model import ActionItem, IncidentFields, StorySection, TimelineEvent

LEVELS = ("critical", "high", "medium", "low")

# Codes: SEV0/SEV1 and P0 are the worst; SEV4 and P3/P4 the least.
_CODE = re.compile(r"^(?:sev(?:erity)?|s|p|priority)\s*[-_ ]?\s*([0-5])\b", re.IGNORECASE)
_CODE_LEVEL = {
    "sev": {"0": "critical", "1": "critical", "2": "high", "3": "medium", "4": "low", "5": "low"},
    "p": {"0": "critical", "1": "high", "2": "medium", "3": "low", "4": "low", "5": "low"},
}
# Words per level, lower case, matched at the start of the severity (after emphasis and emoji).
_LEVEL_WORDS = {
    "critical": (
        "critical|crit|blocker|urgent|emergency|catastrophic|severe|major outage|致命|严重|嚴重|紧急|緊急|重大|"
        "심각|치명적|긴급|критическая|критический|критично|kritisch|critique|crítica|crítico|critica|critico|"
        "nghiêm trọng|kritis"
    ),
    "high": (
        "high|major|hoch|haute|élevée|elevee|alta|alto|elevada|高|높음|높은|상|высокая|высокий|высокое|cao|tinggi"
    ),
    "medium": (
        "medium|moderate|normal|med|mittel|moyenne|moyen|media|medio|média|médio|moderada|中|中等|보통|중간|중|"
        "средняя|средний|среднее|trung bình|sedang"
    ),
    "low": (
        "low|minor|trivial|niedrig|gering|basse|faible|baja|bajo|baixa|baixo|低|낮음|낮은|하|низкая|низкий|thấp|rendah"
    ),
}
_WORDS = sorted(
    ((word, level) for level, words in _LEVEL_WORDS.items() for word in words.split("|")), key=lambda p: -len(p[0])
)
_LEAD = re.compile(r"^[\W_]+")

# Timeline events that mark detection and resolution, in the languages of the label table.
_DETECTED = re.compile(
    r"detect|alert|paged|page\b|noticed|reported|discovered|identified|spotted|first report|"
    r"发现|發現|告警|报警|検知|検出|発覚|감지|발견|알림|обнаруж|замечен|алерт|erkannt|bemerkt|"
    r"détect|signalé|detectad|detectou|identificad|alerta|phát hiện|terdeteksi",
    re.IGNORECASE,
)
_RESOLVED = re.compile(
    r"resolved|fixed|restored|recovered|mitigated|closed|back to normal|all clear|fully operational|"
    r"恢复|恢復|解决|解決|修复|復旧|解消|해결|복구|восстановлен|исправлен|устранен|устранён|behoben|"
    r"wiederhergestellt|résolu|rétabli|resuelto|restablecido|resolvid|restaurad|recuperad|mitigad|khắc phục|pulih",
    re.IGNORECASE,
)
_CLOCK = re.compile(
    r"^\s*(?:[-*+]\s+|\d{1,3}[.)]\s+)?(?:\*\*|`|\[)?\s*(\d{1,2}):(\d{2})(?::\d{2})?\b(?:\s*([AaPp])\.?[Mm]\b\.?)?"
)
_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_SEPARATOR = re.compile(r"^[\s*`\]]*(?:UTC|GMT|Z)?[\s*`\]]*[:：\-–—|]*[\s*`\]]*")
_RULE = re.compile(r"^\s{0,3}(?:-{3,}|\*{3,}|_{3,})\s*$")
_DONE_STATES = re.compile(
    r"^(?:done|closed|complete|completed|resolved|fixed|shipped|merged|finished|implemented|deployed|"
    r"完成|已完成|已解决|完了|済|완료|готово|выполнено|сделано|erledigt|fertig|fait|terminé|hecho|completado|"
    r"terminado|feito|concluído|concluido|xong|selesai)\b",
    re.IGNORECASE,
)
_TWIN = re.compile(r"^(?P<stem>.+?)[._-](?P<lang>[a-z]{2}(?:[-_][A-Za-z]{2,4})?)\.(?:md|markdown|mdx)$")
_LANGUAGES = frozenset(
    "ar bg cs da de el en es et fa fi fr he hi hu id it ja ko lt lv ms nl no pl pt ro ru sk sl sr sv th tr uk vi "
    "zh".split()
)


def level_of(severity: str) -> str:
    """The severity in one vocabulary: `SEV1` -> critical, `P2` -> medium, `🟡 Medium` -> medium."""
    text = _LEAD.sub("", severity.replace("*", "")).strip().lower()
    code = _CODE.match(text)
    if code is not None:
        table = _CODE_LEVEL["p" if text[0] == "p" else "sev"]
        return table[code.group(1)]
    for word, level in _WORDS:
        if text.startswith(word):
            rest = text[len(word) : len(word) + 1]
            if not rest or not rest.isalpha() or not word.isascii():
                return level
    return ""


def twin_language(path: str) -> str:
    """The language a translated twin's name gives (`INCIDENTS.ru.md` -> ru, `postmortem-zh-CN.md` ->
    zh-CN), or "" for a file that is no twin."""
    found = _TWIN.match(os.path.basename(path))
    if found is None or found.group("lang")[:2].lower() not in _LANGUAGES:
        return ""
    lang = found.group("lang").replace("_", "-")
    return lang[:2].lower() + lang[2:]


def as_twin(fields: IncidentFields, ident: str, path: str) -> tuple[str, IncidentFields]:
    """A record of a translated twin: its id extended by the language (`INC-7.ru`), the original's id
    and the language in its fields. Ids stay unique, so the twin is never a duplicate of the original."""
    language = twin_language(path)
    if not language:
        return ident, fields
    return f"{ident}.{language}", dataclasses.replace(fields, language=language, original=ident)


def read_timeline(text: str, date: str = "") -> tuple[TimelineEvent, ...]:
    """Timeline events from list items, lines or table rows: `- **14:02 UTC** — alert fired`,
    `| 2026-04-01 23:48 | event |`, `2026-04-01 09:10: deploy`. A time of day alone takes the day of the
    event before it (or `date`, the incident's); an event's time is ISO 8601 when it reads as one, else
    as written."""
    events: list[TimelineEvent] = []
    day = date[:10]
    header = True
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or (line.startswith("|") and set(line) <= set("|-: ")):
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if header and not find_date(cells[0]) and not _CLOCK.match(cells[0]):
                header = False
                continue
            header = False
            when, rest = cells[0], " — ".join(c for c in cells[1:] if c)
            dated = find_date(cells[0]) if len(cells) > 2 and _CLOCK.match(cells[1]) else None
            if dated is not None:  # | Date | Time | Event |
                when, rest, day = cells[1], " — ".join(c for c in cells[2:] if c), dated.iso[:10]
            time, day = _time_of(when, day)
            events.append(TimelineEvent(time or when.replace("**", ""), rest))
            continue
        if not _ITEM.match(line) and events and not _CLOCK.match(line) and find_date(line) is None:
            last = events[-1]
            events[-1] = TimelineEvent(last.time, f"{last.event}\n{line}".strip())
            continue
        body = _ITEM.sub("", line)
        time, day, rest = _leading_time(body, day)
        events.append(TimelineEvent(time, rest))
    return tuple(events)


def _time_of(text: str, day: str) -> tuple[str, str]:
    found = find_date(text)
    if found is not None and found.start <= 3:
        return found.iso, found.iso[:10]
    clock = _CLOCK.match(text)
    if clock is not None and day and len(day) == 10:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        half = (clock.group(3) or "").lower()
        if half and 1 <= hour <= 12:  # 12:05 AM is 00:05, 2:30 PM is 14:30
            hour = hour % 12 + (12 if half == "p" else 0)
        if hour < 24 and minute < 60:
            return f"{day}T{hour:02d}:{minute:02d}:00Z", day
    return "", day


def _leading_time(body: str, day: str) -> tuple[str, str, str]:
    """(time, day, event) of a timeline line whose time leads it; ("", day, line) when none leads."""
    found = find_date(body)
    if found is not None and found.start <= 3:
        rest = _SEPARATOR.sub("", body[found.end :], count=1).strip()
        return found.iso, found.iso[:10], rest
    clock = _CLOCK.match("- " + body)
    if clock is not None:
        time, day = _time_of(body, day)
        rest = _SEPARATOR.sub("", body[clock.end() - 2 :], count=1).strip()
        written = body[: clock.end() - 2].replace("**", "").strip(" `[")
        return time or written, day, rest
    return "", day, body.strip()


def durations(timeline: tuple[TimelineEvent, ...]) -> tuple[int | None, int | None]:
    """Minutes from the first timed event to the first detection event and to the last resolution
    event; None where the timeline does not give both times (or gives them out of order)."""
    timed = [(moment, event) for moment, event in ((_moment(e.time), e.event) for e in timeline) if moment]
    if len(timed) < 2:
        return None, None
    start = timed[0][0]
    detected = next((m for m, text in timed if _DETECTED.search(text)), None)
    resolved = next((m for m, text in reversed(timed) if _RESOLVED.search(text)), None)
    return _minutes(start, detected), _minutes(start, resolved)


def _moment(time: str) -> datetime | None:
    if len(time) < 16 or time[10] != "T":
        return None
    try:
        return datetime.strptime(time[:16], "%Y-%m-%dT%H:%M")
    except ValueError:
        return None


def _minutes(start: datetime, end: datetime | None) -> int | None:
    if end is None or end < start:
        return None
    return int((end - start).total_seconds() // 60)


def read_action_items(text: str) -> tuple[ActionItem, ...]:
    """Action items from checkboxes (`- [x] text`), marked bullets (`[Done]`, `✅`), plain bullets (open)
    or a table whose columns name the action, its owner, its status and its due date."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if lines and lines[0].startswith("|"):
        return _table_items([line for line in lines if line.startswith("|")])
    items: list[ActionItem] = []
    for line in lines:
        if not _ITEM.match(line) and not read_mark(line)[1] and items:  # a continuation of the item above
            last = items[-1]
            items[-1] = dataclasses.replace(last, text=f"{last.text} {line}")
            continue
        done, mark, rest = read_mark(_ITEM.sub("", line))
        items.append(ActionItem(rest, bool(done), state=_state_of_mark(mark)))
    return tuple(items)


_COLUMNS = {
    "text": "action|action item|item|task|description|what|todo|follow-up|remediation|"
    "行动|措施|対応|조치|задача|maßnahme|ação|acción",
    "owner": "owner|owners|assignee|assigned to|responsible|dri|who|"
    "负责人|負責人|担当|담당자|ответственный|verantwortlich|responsable|responsável|dono",
    "state": "status|state|done|progress|状态|狀態|状況|상태|статус|estado|statut",
    "due": "due|due date|deadline|by when|target date|eta|截止|期限|기한|срок|fällig|échéance|prazo|fecha límite",
}
_COLUMN_OF = {word: column for column, words in _COLUMNS.items() for word in words.split("|")}


def _state_of_mark(mark: str) -> str:
    """A word mark is a state (`[In Progress]` -> In Progress); a checkbox or an emoji only says done."""
    word = mark.strip("[] ")
    return word if len(word) > 1 and word[:1].isalpha() else ""


def _table_items(rows: list[str]) -> tuple[ActionItem, ...]:
    header = [c.strip().strip("*").strip().lower() for c in rows[0].strip("|").split("|")]
    columns = [_COLUMN_OF.get(name, "") for name in header]
    if "text" not in columns:  # the widest unnamed column holds the action
        columns[next((i for i, c in enumerate(columns) if not c), 0)] = "text"
    items = []
    for row in rows[1:]:
        if set(row) <= set("|-: "):
            continue
        cells = [c.strip() for c in row.strip("|").split("|")]
        values = {column: cell for column, cell in zip(columns, cells, strict=False) if column}
        done, mark, rest = read_mark(values.get("text", ""))
        state = values.get("state", "") or _state_of_mark(mark)
        if done is None:
            done = bool(_DONE_STATES.match(_LEAD.sub("", state))) or read_mark(state)[0] is True
        due = values.get("due", "")
        found = find_date(due)
        items.append(ActionItem(rest, bool(done), values.get("owner", ""), state, found.iso if found else due))
    return tuple(i for i in items if i.text)


def incident_fields(sections: tuple[StorySection, ...], date: str = "") -> IncidentFields:
    """An incident's fields from its labelled sections (labels mapped through `labels.field_of`)."""
    by_field: dict[str, list[str]] = {}
    for section in sections:
        name = field_of(section.label) if section.label else None
        text = "\n".join(line for line in section.text.split("\n") if not _RULE.match(line)).strip()
        if name is not None and text:
            by_field.setdefault(name, []).append(text)

    def joined(name: str) -> str:
        return "\n\n".join(by_field.get(name, []))

    severity = _first_line(joined("severity"))
    timeline = read_timeline(joined("timeline"), date)
    to_detect, to_resolve = durations(timeline)
    return IncidentFields(
        severity=severity,
        services=listed(joined("services")),
        symptoms=listed(joined("symptoms")),
        root_cause=listed(joined("root_cause")),
        resolution=listed(joined("resolution")),
        action_items=read_action_items(joined("action_items")),
        sections=sections,
        level=level_of(severity),
        status=_first_line(joined("status")),
        summary=joined("summary"),
        impact=joined("impact"),
        detection=joined("detection"),
        timeline=timeline,
        contributing_factors=listed(joined("contributing_factors")),
        lessons=listed(joined("lessons")),
        minutes_to_detect=to_detect,
        minutes_to_resolve=to_resolve,
    )


def listed(text: str) -> tuple[str, ...]:
    """The items of a list section (`- a`, `1. b`), a continuation line joined to its item; prose
    paragraphs are one item each."""
    items: list[str] = []
    joining = False
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            joining = False
            continue
        if _ITEM.match(line):
            items.append(_ITEM.sub("", line))
        elif joining:
            items[-1] = f"{items[-1]}\n{line}"
        else:
            items.append(line)
        joining = True
    return tuple(items)


def _first_line(text: str) -> str:
    line = text.strip().split("\n")[0].strip() if text.strip() else ""
    return line.replace("**", "").strip()[:60]


# The parts of a postmortem: a file whose top sections are at least three of them is one incident.
PARTS = frozenset(
    ("summary", "impact", "detection", "timeline", "root_cause", "contributing_factors", "resolution")
    + ("action_items", "lessons", "symptoms")
)


def is_postmortem(lines: Lines, first: int = 1) -> bool:
    """Whether the file is one incident written up: among the headings of its top level under the title,
    at least three name different parts of a postmortem, and they are at least a third of that level."""
    levels = [lines.headings[n][0] for n in sorted(lines.headings) if n >= first]
    if levels and levels[0] == 1 and levels.count(1) == 1:
        levels = levels[1:]
    if not levels:
        return False
    top = min(levels)
    texts = [text for n, (level, text) in sorted(lines.headings.items()) if n >= first and level == top]
    parts = [field_of(text) for text in texts]
    known = {p for p in parts if p in PARTS}
    return len(known) >= 3 and 3 * sum(p in PARTS for p in parts) >= len(texts)


def complete_incident(fields: IncidentFields, date: str = "") -> IncidentFields:
    """An incident about to be written, with what the readers derive filled in: the level from the
    severity, timeline times as ISO 8601 (`10:20 UTC` on the incident's day), and the times to detect
    and resolve from the timeline."""
    level = fields.level or level_of(fields.severity)
    day = date[:10]
    timeline = []
    for event in fields.timeline:
        time, day = _time_of(event.time, day)
        timeline.append(TimelineEvent(time or event.time, event.event))
    to_detect, to_resolve = durations(tuple(timeline))
    return dataclasses.replace(
        fields,
        level=level,
        timeline=tuple(timeline),
        minutes_to_detect=fields.minutes_to_detect if fields.minutes_to_detect is not None else to_detect,
        minutes_to_resolve=fields.minutes_to_resolve if fields.minutes_to_resolve is not None else to_resolve,
    )


# A postmortem's title prefix (`Postmortem: `, `RCA 006: `, `Incident #12 — `): the template's, not the title.
TITLE_PREFIX = re.compile(
    r"^((?:post[- ]?mortem|rca|incident(?: report)?|inc|事后复盘|复盘|事故报告|障害報告|포스트모템|постмортем|инцидент|"
    r"pós-morte|post-mortem)\s*(?:\[?#?(\d+)\]?)?\s*[:：—–-]\s*)(?=\S)",
    re.IGNORECASE,
)


def incident_title(title: str) -> str:
    """The title without its template's prefix: `RCA 006: Loki Gateway DNS Timeout` -> `Loki Gateway ...`."""
    return TITLE_PREFIX.sub("", title, count=1) or title
