"""Every writer under the write lock, fixes outside code fences, and a step cut short finished before any
command reads (issue 11, item 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.scripted_git import Repo
from whylog.repo import Config, load, write_lock

WHYLOG = [sys.executable, "-m", "whylog"]


def _entry(stamp: str, title: str, type_: str = "Implementation") -> str:
    return f"## {stamp} - {title}\n\n**Type:** {type_}\n\n**Result:**\n- done\n\n---\n\n"


def test_lint_fix_waits_for_the_write_lock(tmp_path: Path) -> None:
    log = tmp_path / "SYSTEM_LOG.md"
    log.write_text("# SYSTEM_LOG\n\n" + _entry("2026-03-01T10:00Z", "Glued stamp"), encoding="utf-8")
    with write_lock(tmp_path):
        fixer = subprocess.Popen([*WHYLOG, "-C", str(tmp_path), "lint", "--fix"], stdout=subprocess.PIPE)
        with pytest.raises(subprocess.TimeoutExpired):
            fixer.wait(timeout=4)  # blocked: another writer holds the lock
        # the lock holder adds a record meanwhile; the fix must not write over it
        log.write_text(log.read_text() + _entry("2026-02-01 09:00 UTC", "Added under the lock"), encoding="utf-8")
    fixer.communicate(timeout=60)
    text = log.read_text()
    assert "Added under the lock" in text
    assert "## 2026-03-01 10:00 UTC - Glued stamp" in text


FENCED = """# SYSTEM_LOG

## 2026-03-01 10:00 UTC - Documented the log format

**Type:** Documentation

**Result:**
- The format, as an example:

```markdown
---## 2026-03-19T14:32Z Example heading
**Type:** bugfix
```

---## 2026-03-02 10:00 UTC - A real glued heading

**Type:** Implementation
"""


def test_lint_fix_never_edits_inside_a_code_fence(tmp_path: Path) -> None:
    log = tmp_path / "SYSTEM_LOG.md"
    log.write_text(FENCED, encoding="utf-8")
    code, out, err = run_cli(["-C", str(tmp_path), "lint", "--fix"])
    text = log.read_text()
    assert "```markdown\n---## 2026-03-19T14:32Z Example heading\n**Type:** bugfix\n```\n" in text, text
    assert "\n---\n\n## 2026-03-02 10:00 UTC - A real glued heading\n" in text
    code, out, err = run_cli(["-C", str(tmp_path), "lint", "--format", "json"])
    found = json.loads(out)
    assert [d for d in found if d["code"] == "FIL003"] == []


CUT = """
import os, sys
from pathlib import Path
from whylog.repo import write_files_atomically, write_lock

root = Path(sys.argv[1])
def stop(step):
    if step == int(sys.argv[2]):
        os._exit(1)
with write_lock(root):
    write_files_atomically(
        root,
        [(root / "SYSTEM_LOG.md", (root / "NEW.md").read_bytes()), (root / "OLD_LOG.md", None)],
        after_step=stop,
    )
"""


@pytest.mark.parametrize("step", [0, 1])
def test_a_step_cut_short_past_its_manifest_is_finished_before_list_reads(tmp_path: Path, step: int) -> None:
    """A renumber's step: the new log moves in and the old one goes; killed after its manifest (step 0)
    or after its first file (step 1), the next `list` sees the whole change."""
    old = "# SYSTEM_LOG\n\n" + _entry("2026-03-01 10:00 UTC", "Before")
    (tmp_path / "SYSTEM_LOG.md").write_text(old, encoding="utf-8")
    (tmp_path / "OLD_LOG.md").write_text(old.replace("Before", "Old copy"), encoding="utf-8")
    (tmp_path / "NEW.md").write_text(old.replace("Before", "After"), encoding="utf-8")
    (tmp_path / "whylog.toml").write_text('[sources]\n"SYSTEM_LOG.md" = "syslog"\n"OLD_LOG.md" = "syslog"\n')
    done = subprocess.run([sys.executable, "-c", CUT, str(tmp_path), str(step)], check=False)
    assert done.returncode == 1
    code, out, err = run_cli(["-C", str(tmp_path), "list", "--format", "json"])
    assert code == 0, err
    assert [r["title"] for r in json.loads(out)] == ["After"]
    assert not (tmp_path / ".whylog" / "pending").exists()


ARCHIVE_CUT = """
import os, sys
from datetime import datetime, UTC
from pathlib import Path
from whylog.lifecycle.archive import archive
from whylog.repo import read_config

def stop(number):
    if number == 1:
        os._exit(1)

archive(read_config(Path(sys.argv[1])), datetime(2026, 6, 10, 12, 0, tzinfo=UTC), after_write=stop)
"""


def test_an_archive_cut_short_shows_no_record_twice_to_the_next_reader(tmp_path: Path) -> None:
    entries = "".join(_entry(f"2024-0{m}-01 10:00 UTC", f"Old entry {m}") for m in range(1, 6))
    (tmp_path / "SYSTEM_LOG.md").write_text("# SYSTEM_LOG\n\n" + _entry("2026-06-01 10:00 UTC", "New") + entries)
    (tmp_path / "whylog.toml").write_text("[archive]\nsyslog_max_lines = 5\n")
    done = subprocess.run([sys.executable, "-c", ARCHIVE_CUT, str(tmp_path)], check=False)
    assert done.returncode == 1
    code, out, err = run_cli(["-C", str(tmp_path), "list", "--format", "json"])
    assert code == 0, err
    titles = [r["title"] for r in json.loads(out)]
    assert sorted(titles) == sorted(["New", *(f"Old entry {m}" for m in range(1, 6))])


# --- many writers at once ----------------------------------------------------------------------------

ADDER = """
import sys
from pathlib import Path
from whylog.model import EntryFields, Record
from whylog.model.errors import WhylogError
from whylog.writing.placement import add_record
from whylog.repo import read_config
root, worker, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
config = read_config(root)
for n in range(count):
    fields = EntryFields(type="Implementation", result=f"- writer {worker} record {n}")
    stamp = f"20{24 + n % 3}-{1 + n % 12:02d}-{1 + worker:02d}T{n % 24:02d}:{n % 60:02d}:00Z"
    title = f"Writer {worker} record {n}"
    try:
        add_record(config, Record("", "entry", title, stamp, fields))
    except WhylogError as exc:
        print(f"failed: {exc}", file=sys.stderr)
    else:
        print(title, flush=True)
"""

CHURN = """
import sys, time
from datetime import datetime, UTC
from pathlib import Path
from whylog.lint import fix_paths
from whylog.lifecycle.archive import archive
from whylog.repo import read_config, write_atomic, write_lock
root, job, seconds = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
config = read_config(root)
end = time.monotonic() + seconds
while time.monotonic() < end:
    if job == "archive":
        archive(config)
    elif job == "fix":
        fix_paths(config)
    else:  # spoil: glue a separator under the lock, so the fixer has something to write
        with write_lock(root):
            log = root / "SYSTEM_LOG.md"
            text = log.read_text(encoding="utf-8")
            if "---\\n\\n## " in text:
                write_atomic(log, text.replace("---\\n\\n## ", "---## ", 1))
    time.sleep(0.05)
"""


def run_many_writers(root: Path, adders: int, count: int, seconds: float) -> dict[str, Any]:
    """`adders` processes adding `count` entries each (library calls) while one process runs `lint --fix`,
    one `archive` and one glues separators for the fixer to split, for `seconds`; returns the adds
    attempted, succeeded, lost and doubled, and the processes that crashed (with the first one's stderr)."""
    (root / "SYSTEM_LOG.md").write_text("# SYSTEM_LOG\n\n", encoding="utf-8")
    (root / "whylog.toml").write_text("[archive]\nsyslog_max_lines = 40\nsyslog_keep_months = 12\n")
    others = [
        subprocess.Popen([sys.executable, "-c", CHURN, str(root), job, str(seconds)], stderr=subprocess.PIPE)
        for job in ("fix", "archive", "spoil")
    ]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", ADDER, str(root), str(w), str(count)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for w in range(adders)
    ]
    outputs = [p.communicate(timeout=1800) for p in workers + others]
    crashed = [err.decode()[-2000:] for p, (_, err) in zip(workers + others, outputs, strict=True) if p.returncode]
    added = [line for out, _ in outputs[:adders] for line in out.decode().splitlines()]
    titles = [r.title for r in load(Config(root)).records]
    return {
        "attempted": adders * count,
        "succeeded": len(added),
        "lost": len(set(added) - set(titles)),
        "doubled": len(titles) - len(set(titles)),
        "crashed": len(crashed),
        "first_crash": crashed[0] if crashed else "",
    }


def test_adders_beside_lint_fix_and_archive_lose_nothing(tmp_path: Path) -> None:
    result = run_many_writers(tmp_path, adders=3, count=20, seconds=4)
    assert result["crashed"] == 0, result["first_crash"]
    assert result["lost"] == 0 and result["doubled"] == 0, result
    assert result["succeeded"] == result["attempted"], result
    archives = list(tmp_path.glob("SYSTEM_LOG_ARCHIVE_*.md"))
    assert archives, "archive never moved anything: the load did not exercise it"
    assert not [p for p in tmp_path.rglob("*whylog-tmp*")]


def test_init_state_in_a_git_repo_is_ignored(tmp_path: Path) -> None:
    repo = Repo(tmp_path)
    (tmp_path / "SYSTEM_LOG.md").write_text("# SYSTEM_LOG\n\n", encoding="utf-8")
    with write_lock(tmp_path):
        pass
    assert repo.git("status", "--porcelain") == "?? SYSTEM_LOG.md\n"
