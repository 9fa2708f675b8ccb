"""Memory banks (Cline, Roo and their variants: `memory-bank/*.md`): knowledge split over a few files.

What a file holds comes from its name, and where the name says nothing, from its shape:

- `projectbrief.md`, `productContext.md`, `activeContext.md`, `techContext.md`, `systemPatterns.md` (and
  any other memory-bank file that is no dated log): one `context` record per file. Its sections are the
  file's headings in order (`fields.sections`, text before the first one under ""), its checklist items are
  `fields.tasks` with their states, and its date is the newest one the file shows (the title's
  `Active Context (2025-04-07)`, a `Last updated:` label, the `[2025-04-21 20:06:14] - ...` update lines
  Roo appends).
- `progress.md` and `tasks.md` in Cline's shape (What Works, What's Left to Build, Current Status, Known
  Issues): the same `context` record, where a section's meaning gives its plain bullets a state (what
  works is done, what is left is open). Kept as a dated log instead (`### [2026-07-15 01:20:00] title`
  entries, `[2025-05-03 16:47:47] - ## Task:` lines), they read as the log's entries: `session`s for
  progress and session logs, `entry`s for an audit log, `story`s otherwise (the general reader's cut).
  A session or audit log is a log by its name: its entries are read however few carry dates.
- A README or index page lists the bank's files: no record of its own (its lines stay unstructured text).
- `decisionLog.md` is a decision log (family `adr`, read by the general reader as decisions), also when a
  `memory-bank/*.md` glob in whylog.toml hands it to this reader.

A file never filled in since the template was copied (headings over empty bullets and `[placeholders]`)
holds no record: it reads as none, and says so (PRS080; lint MEM001).
"""

from __future__ import annotations

import os
import re

from whylog.markdown.dates import find_date
from whylog.markdown.document import Reading, diagnostic
from whylog.markdown.labels import field_of, label_key
from whylog.markdown.names import family_by_name
from whylog.markdown.readers.common import read_front_matter
from whylog.markdown.readers.devlog_context import context_id
from whylog.markdown.readers.general import clean_title, read_records
from whylog.markdown.scan import Lines
from whylog.markdown.values import iter_items
from whylog.model import ContextFields, Kind, Record, Source, StorySection, TaskItem, TaskState

CONTEXT_NAMES = ("projectbrief", "productcontext", "activecontext", "techcontext", "systempatterns")
# Which kind a memory bank's dated log holds, by the file's name (its letters only, lower case).
LOG_KINDS: dict[str, Kind] = {"progress": "session", "sessionlog": "session", "auditlog": "entry"}
TEMPLATE_CODE = "PRS080"

# What a section of a progress file means for the bullets in it (headings folded by labels.label_key).
_SECTION_WORDS: tuple[tuple[TaskState, str], ...] = (
    (
        "done",
        "what works|works|working|done|completed|completed tasks|completed features|finished|implemented|"
        "已完成|完成|已实现|完了|완료|что работает|сделано|выполнено|готово|ce qui fonctionne|terminé|terminés|"
        "fait|lo que funciona|completado|completadas|o que funciona|concluído|concluídas|was funktioniert|erledigt",
    ),
    (
        "open",
        "what's left|whats left|what's left to build|what is left|what is left to build|left to build|"
        "remaining|remaining work|todo|to do|to-do|next steps|pending|backlog|planned|known issues|issues|"
        "open issues|bugs|known bugs|待办|待完成|未完成|剩余工作|已知问题|残タスク|既知の問題|남은 작업|알려진 문제|"
        "осталось|что осталось|известные проблемы|reste à faire|ce qui reste|problèmes connus|"
        "lo que falta|pendiente|pendientes|problemas conocidos|o que falta|pendente|pendentes|offen|bekannte probleme",
    ),
    (
        "in_progress",
        "in progress|current tasks|current work|current status|ongoing|wip|doing|进行中|進行中|진행 중|"
        "в работе|в процессе|en cours|en progreso|em andamento|in arbeit",
    ),
    ("blocked", "blocked|blockers|blocking|阻塞|ブロッカー|блокеры|bloqué|bloqueado|blockiert"),
)
_SECTION_STATES: dict[str, TaskState] = {word: state for state, words in _SECTION_WORDS for word in words.split("|")}

_BOX = re.compile(r"^\[([ xX~/\-!>]?)\]\s*")
_BOX_STATES: dict[str, TaskState] = {"x": "done", " ": "open", "": "open", "~": "in_progress", "/": "in_progress"}
_BOX_STATES.update({"-": "in_progress", ">": "in_progress", "!": "blocked"})
_EMOJI_STATES: dict[str, TaskState] = {"✅": "done", "✔️": "done", "✔": "done", "☑️": "done", "☑": "done"}
_EMOJI_STATES.update({"🚧": "in_progress", "🔄": "in_progress", "🟡": "in_progress", "⏳": "in_progress"})
_EMOJI_STATES.update({"⛔": "blocked", "🚫": "blocked", "🔴": "blocked", "☐": "open", "⬜": "open", "❌": "open"})
_EMOJI_STATES.update({"🟢": "done"})
_PLACEHOLDER = re.compile(
    r"^\s*(?:[-*+]|\d{1,3}[.)])?\s*(?:\[[^\]]{2,}\]|<[^>]{2,}>|\{[^}]{2,}\}|tbd|todo|\.\.\.|…|n/?a|-|:)?\s*[.:]?\s*$",
    re.IGNORECASE,
)
_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
_DATE_LEAD = re.compile(r"^\s{0,3}(?:[-*+]\s+)?[\[*`]*\s*\d{4}-\d{2}-\d{2}")


def file_role(path: str) -> str:
    """`context`, or the name's letters for the logs this module knows (`progress`, `tasks`, ...)."""
    stem = os.path.splitext(os.path.basename(path))[0].lower()
    letters = re.sub(r"[^a-z]", "", stem)
    if letters in CONTEXT_NAMES:
        return "context"
    if letters in ("readme", "index"):
        return "index"  # the memory bank's table of contents: no record of its own
    for name in ("progress", "tasks", "sessionlog", "auditlog"):
        if letters.startswith(name):
            return name
    return "other"


def read(lines: Lines, path: str) -> Reading:
    reading = Reading()
    first = read_front_matter(lines, path, reading)
    if read_template(lines, path, first, reading):
        return reading
    role = file_role(path)
    if role == "index":  # the bank's README lists its files: no record, whatever dates it shows
        return reading
    if family_by_name(path) == "adr":  # decisionLog.md, read here when a `memory-bank/*.md` glob names it
        read_records(lines, path, "decision", reading, first)
        return reading
    if role != "context":
        log = Reading(front_matter=dict(reading.front_matter))
        read_records(lines, path, LOG_KINDS.get(role, "story"), log, first)
        if (role in ("sessionlog", "auditlog") and log.records) or _is_dated_log(lines, first, log):
            log.diagnostics = reading.diagnostics + log.diagnostics
            return log
    content = [n for n in range(first, len(lines) + 1) if lines.tag(n) not in ("blank", "rule")]
    if content:
        reading.records.append(_context(lines, path, content[0], content[-1], reading))
    return reading


def _is_dated_log(lines: Lines, first: int, log: Reading) -> bool:
    """Whether the general reader cut the file into two or more dated entries holding most of its lines."""
    dated = [r for r in log.records if r.date and r.source is not None]
    if len(dated) < 2:
        return False
    content = sum(1 for n in range(first, len(lines) + 1) if lines.tag(n) not in ("blank", "rule"))
    inside = sum(r.source.end_line - r.source.start_line + 1 for r in dated if r.source is not None)
    return inside * 2 >= content


# --- a never-filled template -------------------------------------------------------------------------


def read_template(lines: Lines, path: str, first: int, reading: Reading) -> bool:
    """Whether the file is its template, never filled in: then its lines are claimed (they are layout,
    not unread text) and a PRS080 diagnostic says why it holds no record."""
    if not is_template(lines, first):
        return False
    heading = next((n for n in sorted(lines.headings) if n >= first), first)
    message = "memory-bank file is its template, never filled in: no record read"
    hint = "fill in its sections (or delete the file until there is something to keep)"
    reading.diagnostics.append(diagnostic(TEMPLATE_CODE, message, path, heading, hint, "warning"))
    reading.claimed.append((first, len(lines)))
    return True


def is_template(lines: Lines, first: int) -> bool:
    """Headings over nothing but empty bullets, `[placeholders]`, comments and the template's short
    introduction (text before the first section heading, a few lines at most)."""
    headings = [n for n in sorted(lines.headings) if n >= first and lines.tag(n) == "heading"]
    top = min((lines.headings[h][0] for h in headings), default=0)
    sections = [n for n in headings if lines.headings[n][0] > top]
    if not sections:  # a title alone (or nothing but placeholders) is a file never written in
        rest = [n for n in range(first, len(lines) + 1) if lines.tag(n) not in ("blank", "rule", "heading")]
        return len(headings) == 1 and all(lines.tag(n) == "text" and _PLACEHOLDER.match(lines.line(n)) for n in rest)
    intro = [n for n in range(first, sections[0]) if lines.tag(n) in ("text", "table", "code")]
    if len(intro) > 4:
        return False
    for number in range(sections[0], len(lines) + 1):
        tag = lines.tag(number)
        if tag in ("blank", "rule", "heading"):
            continue
        raw = lines.line(number)
        if tag == "html" and _COMMENT.match(raw):
            continue
        if tag != "text" or not _PLACEHOLDER.match(raw):
            return False
    return True


# --- one context record ------------------------------------------------------------------------------


def _context(lines: Lines, path: str, start: int, end: int, reading: Reading) -> Record:
    title_line = next((n for n in range(start, end + 1) if lines.headings.get(n, (0, ""))[0] == 1), None)
    title = reading.front_matter.get("title", "") or (lines.headings[title_line][1] if title_line else "")
    stem = os.path.splitext(os.path.basename(path))[0]
    title = clean_title(title, "", None) or stem
    sections = _sections(lines, start, end, skip=title_line)
    updated = _newest_date(lines, start, end, reading)
    fields = ContextFields(updated=updated, sections=tuple(sections), tasks=_tasks(lines, start, end))
    return Record(context_id(path), "context", title, updated, fields, source=Source(path, start, end))


def _sections(lines: Lines, start: int, end: int, skip: int | None) -> list[StorySection]:
    """The headings in order with the text under each (to the next heading of any level)."""
    out: list[tuple[str, list[str]]] = [("", [])]
    for number in range(start, end + 1):
        if number == skip:
            continue
        if lines.tag(number) == "heading" and number in lines.headings:
            out.append((lines.headings[number][1].strip(), []))
        else:
            out[-1][1].append(lines.line(number))
    sections = []
    for label, body in out:
        text = "\n".join(body).strip("\n")
        if label or text.strip():
            sections.append(StorySection(label, text))
    return sections


def _newest_date(lines: Lines, start: int, end: int, reading: Reading) -> str:
    """The newest date on the file's headings, its dated lines and its `Date:` / `Last updated:` labels
    (or in its front matter): when the context was last brought up to date."""
    found: list[str] = []
    for key in ("updated", "last_updated", "date"):
        date = find_date(reading.front_matter.get(key, ""))
        if date is not None:
            found.append(date.iso)
    for number in range(start, end + 1):
        tag = lines.tag(number)
        raw = lines.line(number)
        if tag == "heading" or (tag == "text" and (_DATE_LEAD.match(raw) or _is_date_label(raw))):
            date = find_date(raw)
            if date is not None:
                found.append(date.iso)
    return max(found, default="")


def _is_date_label(raw: str) -> bool:
    label = raw.replace("*", "").strip().lstrip("-+ ").split(":", 1)[0].split("：", 1)[0]
    return len(label) < 40 and field_of(label) == "date"


def _tasks(lines: Lines, start: int, end: int) -> tuple[TaskItem, ...]:
    """Every checklist item (a box or a status mark), and the plain bullets of sections whose heading
    says what state they are in (What Works, What's Left, Known Issues)."""
    tasks: list[TaskItem] = []
    heading, meant = "", None
    numbers: list[int] = []

    def flush() -> None:
        for item in iter_items(lines, numbers):
            if lines.tag(item.line) != "text" or not re.match(r"^\s*(?:[-*+]|\d{1,3}[.)])\s", lines.line(item.line)):
                continue
            state, text = task_state(item.text)
            state = state or meant
            if state is not None and text:
                tasks.append(TaskItem(text, state, heading))
            for child in item.children:  # nested checklists keep their own marks
                child_state, child_text = task_state(child.lstrip("-*+ "))
                if child_state is not None and child.lstrip()[:1] in "-*+" and child_text:
                    tasks.append(TaskItem(child_text, child_state, heading))

    for number in range(start, end + 1):
        if lines.tag(number) == "heading" and number in lines.headings:
            flush()
            numbers = []
            heading = lines.headings[number][1].strip()
            meant = section_state(heading)
        elif lines.tag(number) == "text":
            numbers.append(number)
    flush()
    return tuple(tasks)


def section_state(heading: str) -> TaskState | None:
    """The state a section's heading gives its bullets (`What Works` -> done), or None."""
    key = label_key(heading)
    return _SECTION_STATES.get(key) or _SECTION_STATES.get(re.sub(r"\s*[(（].*$", "", key))


def task_state(text: str) -> tuple[TaskState | None, str]:
    """`(state, text)` for an item starting with a box (`[x]`, `[ ]`, `[-]`, `[~]`, `[!]`) or a status
    emoji; the state is None when it has neither."""
    text = text.strip()
    box = _BOX.match(text)
    if box is not None:
        return _BOX_STATES.get(box.group(1).lower(), "open"), text[box.end() :].strip()
    for mark, state in _EMOJI_STATES.items():
        if text.startswith(mark):
            return state, text[len(mark) :].strip()
    return None, text
