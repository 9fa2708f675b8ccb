"""`add` into a long system log reads only its ends (`markdown.ends`) and writes what reading it whole writes.

Each test plans the same record twice, from the ends and from the whole file (`whole=True`, the path every
add took before), and compares the bytes to write, the record as read back and the lines inserted; where
the ends cannot decide, the plan says it read the file whole.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from whylog.markdown.readers import read_path
from whylog.model import EntryFields, Record
from whylog.model.errors import WriteError
from whylog.repo import Config
from whylog.writing.placement import _plan, add_record

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
BLOCK = "## {stamp} UTC - Change number {n} of the log\n**Type:** Documentation\n**Result:**\n- ok {n}\n\n---\n\n"


def entry(date: str = "") -> Record:
    fields = EntryFields(type="Bug Fix", observation="Pool ran dry", actions=("Raised the pool",), result="- Stable")
    return Record("", "entry", "Fixed the pool exhaustion under load", date, fields)


def stamps(count: int, newest_first: bool = True, last: datetime = NOW - timedelta(days=3), step: int = 7) -> list[str]:
    out = [(last - timedelta(hours=step * n)).strftime("%Y-%m-%d %H:%M") for n in range(count)]
    return out if newest_first else out[::-1]


def log_text(dates: list[str], extras: dict[int, str] | None = None) -> str:
    """A log of one entry per stamp, with `extras[n]` put before entry n."""
    extras = extras or {}
    body = "".join(extras.get(n, "") + BLOCK.format(stamp=d, n=n) for n, d in enumerate(dates))
    return "# SYSTEM_LOG\n\nNewest first.\n\n" + body


def both(root: Path, record: Record) -> tuple[object, object]:
    """The plan from the ends and the plan from the whole file (or the error each raised)."""
    config = Config(root)
    out: list[object] = []
    for whole in (False, True):
        try:
            out.append(_plan(config, record, NOW, whole=whole))
        except WriteError as error:
            out.append(str(error))
    return out[0], out[1]


def assert_same(fast: object, full: object) -> None:
    if isinstance(full, str) or isinstance(fast, str):
        assert fast == full
        return
    assert full.whole  # type: ignore[attr-defined]
    for name in ("new", "written", "inserted", "old"):
        assert getattr(fast, name) == getattr(full, name), name


def plans(tmp_path: Path, data: bytes, record: Record | None = None) -> tuple[object, object]:
    (tmp_path / "SYSTEM_LOG.md").write_bytes(data)
    fast, full = both(tmp_path, record or entry())
    assert_same(fast, full)
    return fast, full


def test_a_newest_first_log_is_placed_from_its_ends(tmp_path: Path) -> None:
    fast, _ = plans(tmp_path, log_text(stamps(40)).encode())
    assert fast.whole is False  # type: ignore[attr-defined]
    assert fast.written.id == "LOG-2026-11-24-1200"  # type: ignore[attr-defined]


def test_crlf_and_a_byte_order_mark_are_kept(tmp_path: Path) -> None:
    text = log_text(stamps(40)).replace("\n", "\r\n")
    fast, _ = plans(tmp_path, b"\xef\xbb\xbf" + text.encode())
    assert fast.whole is False  # type: ignore[attr-defined]
    assert fast.new.startswith(b"\xef\xbb\xbf# SYSTEM_LOG\r\n")  # type: ignore[attr-defined]


def test_a_fence_opened_before_the_tail_and_never_closed_makes_it_read_whole(tmp_path: Path) -> None:
    # the tail's headings are inside the fence: the whole read sees fewer entries, and so must add
    fast, _ = plans(tmp_path, log_text(stamps(40), {20: "```text\n"}).encode())
    assert fast.whole is True  # type: ignore[attr-defined]


def test_a_closed_fence_in_the_middle_is_walked_past(tmp_path: Path) -> None:
    fence = "```text\n## 2019-01-01 12:00 UTC - an example inside a fence\n```\n\n"
    fast, _ = plans(tmp_path, log_text(stamps(40), {20: fence}).encode())
    assert fast.whole is False  # type: ignore[attr-defined]
    assert fast.written.id == "LOG-2026-11-24-1200"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "extra",
    [
        "```text\n",  # a fence opened in the head runs past the head's cut
        "  ```\n",  # a fence a list item may hold: the raw walk cannot tell
        "<!-- a comment left open\n\n",  # an HTML block that ends only at `-->`
        "<div>\n```\n",  # a fence line an HTML block holds
    ],
)
def test_blocks_the_raw_walk_cannot_be_sure_of_make_it_read_whole(tmp_path: Path, extra: str) -> None:
    for at in (3, 20):
        fast, _ = plans(tmp_path, log_text(stamps(40), {at: extra}).encode())
        assert fast.whole is True  # type: ignore[attr-defined]


def test_a_glued_separator_gives_the_same_bytes(tmp_path: Path) -> None:
    dates = stamps(40)
    text = (
        log_text(dates)
        .replace(f"---\n\n## {dates[2]}", f"---## {dates[2]}")
        .replace(f"---\n\n## {dates[20]}", f"---## {dates[20]}")
    )
    plans(tmp_path, text.encode())


def test_an_entry_of_the_same_minute_in_the_middle_is_seen(tmp_path: Path) -> None:
    dates = stamps(40)
    dates[20] = "2026-11-24 12:00"  # out of order, in the unread middle: its minute is taken
    fast, _ = plans(tmp_path, log_text(dates).encode())
    assert fast.whole is True  # type: ignore[attr-defined]
    assert fast.written.id == "LOG-2026-11-24-120001"  # type: ignore[attr-defined]


def test_a_date_in_words_in_the_middle_makes_it_read_whole(tmp_path: Path) -> None:
    fast, _ = plans(tmp_path, log_text(stamps(40), {20: "Rolled out on November 24, 2026 at noon.\n\n"}).encode())
    assert fast.whole is True  # type: ignore[attr-defined]


def test_an_oldest_first_log_takes_the_entry_at_its_end_from_its_ends(tmp_path: Path) -> None:
    text = log_text(stamps(40, newest_first=False))
    for data in (text, text.rstrip("\n"), text.replace("\n", "\r\n")):
        fast, _ = plans(tmp_path, data.encode())
        assert fast.whole is False  # type: ignore[attr-defined]
        assert fast.new.startswith(data.encode())  # type: ignore[attr-defined]


def test_an_oldest_first_log_with_later_days_in_its_middle_is_read_whole(tmp_path: Path) -> None:
    # the entry goes before the first one dated after it, which the unread middle might hold
    fast, _ = plans(tmp_path, log_text(stamps(40, newest_first=False)).encode(), entry("2026-10-01T08:00:00Z"))
    assert fast.whole is True  # type: ignore[attr-defined]


def test_add_record_writes_what_the_whole_read_plans(tmp_path: Path) -> None:
    text = log_text(stamps(40))
    (tmp_path / "SYSTEM_LOG.md").write_text(text, encoding="utf-8")
    expected = _plan(Config(tmp_path), entry(), NOW, whole=True)
    written = add_record(Config(tmp_path), entry(), NOW)
    assert (tmp_path / "SYSTEM_LOG.md").read_bytes() == expected.new
    assert written == expected.written
    assert written in read_path(str(tmp_path / "SYSTEM_LOG.md"), None, "SYSTEM_LOG.md").records


EXTRAS = [
    "",
    "```text\n",
    "```\n\n",
    "~~~\n",
    "  ```\n",
    "    ```\n",
    "<!-- open\n\n",
    "-->\n\n",
    "<!-- closed -->\n\n",
    "<pre>\n",
    "Text on 2026-11-24 in passing.\n\n",
    "Done on 24 November 2026.\n\n",
    "Ticket INC-2026-046 and 3294ms.\n\n",
    "## 2026-11-24 12:00 UTC - A bare heading, no fields\n\n",
    "not a blank line before the next heading\n",
]


@settings(max_examples=120, deadline=None)
@given(
    count=st.integers(10, 36),
    step=st.sampled_from([7, 30]),
    order=st.sampled_from(["newest", "oldest", "shuffled"]),
    extras=st.dictionaries(st.integers(0, 35), st.sampled_from(EXTRAS), max_size=4),
    glue=st.sets(st.integers(1, 35), max_size=3),
    crlf=st.booleans(),
    bom=st.booleans(),
    when=st.one_of(st.just(""), st.integers(-6 * 24, 30).map(lambda h: (NOW + timedelta(hours=h)).isoformat())),
    seed=st.randoms(use_true_random=False),
)
def test_the_ends_plan_what_the_whole_read_plans(
    count: int,
    step: int,
    order: str,
    extras: dict[int, str],
    glue: set[int],
    crlf: bool,
    bom: bool,
    when: str,
    seed: object,
) -> None:
    dates = stamps(count, order != "oldest", NOW + timedelta(days=1), step)
    if order == "shuffled":
        seed.shuffle(dates)  # type: ignore[attr-defined]
    text = log_text(dates, extras)
    for n in glue:
        if n < count and n not in extras:
            text = text.replace(f"---\n\n## {dates[n]}", f"---## {dates[n]}", 1)
    if crlf:
        text = text.replace("\n", "\r\n")
    date = when.replace("+00:00", "Z")[:17] + "00Z" if when else ""
    with tempfile.TemporaryDirectory() as folder:
        plans(Path(folder), (b"\xef\xbb\xbf" if bom else b"") + text.encode(), entry(date))
