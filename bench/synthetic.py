"""A small corpus generator that lives in the project, so a fresh clone can test and measure without
../shared: records in the formats whylog reads (system log and its yearly archives, INCIDENTS.md, ADR files
and their index, DEVLOG.md, session notes, change documents, feature_list.json), from a fixed seed.

    python bench/synthetic.py OUTDIR --entries N [--seed S] [--manifest counts.json]

The shares of the record kinds follow ../shared/bench/gen_corpus.py (72% system-log entries, 11% dev log
stories, 5% sessions, 5% change documents, 4% incidents, 3% ADRs), so the counts a test expects of a 1,000
record corpus are the same from either; the text is this module's own. Words are drawn with Zipf-like
weights from short lists, so some (latency, regression) are in most records and others are rare, and each
record carries numbers drawn from a wide range, most of them written only once. The manifest gives the
count of each kind and of each entry type: the ground truth for the tests. Same N and seed, same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

SHARES = {"devlog": 0.11, "session": 0.05, "change": 0.05, "incident": 0.04, "adr": 0.03}
TYPES = ["Implementation", "Bug Fix", "Architecture Change", "Configuration", "Documentation", "Incident"]
TYPE_WEIGHTS = [30, 29, 7, 13, 12, 9]
TAGS = ["SECURITY", "PERFORMANCE", "DATABASE", "BREAKING CHANGE", "ROLLBACK"]
START, END = datetime(2019, 1, 1), datetime(2026, 5, 15, 23, 59)
COMMON = "latency regression throughput retry rollout timeout cache backoff migration index".split()
RARE = (
    "jitter quorum outbox saga shard vacuum compaction checksum heartbeat lease tombstone bloom fanout "
    "watermark debounce spillover canary sidecar gossip fencing snapshot rebalance hedging"
).split()
SERVICES = "auth billing search ingest export notify gateway scheduler uploader ledger".split()
TOOLS = "PostgreSQL Redis Kafka nginx Celery FastAPI Terraform Docker Grafana SQLite".split()
FILES = [
    "backend/auth/session.py",
    "backend/auth/tokens.py",
    "backend/billing/invoice.py",
    "src/search/ranker.py",
    "src/ingest/worker.py",
    "src/export/csv_writer.py",
    "services/gateway/routes.go",
    "deploy/helm/values.yaml",
    "migrations/0042_add_index.sql",
    "Dockerfile",
    "docker-compose.yml",
    "config/cache.toml",
    "frontend/src/Upload.tsx",
    "README.md",
]
PHRASES = ["connection pool exhausted", "deadlock detected", "circuit breaker"]
NOUNS = "cache pool queue index schema token worker replica lock budget".split()
VERBS = ["Added", "Fixed", "Reworked", "Removed", "Documented", "Tuned", "Split", "Moved"]


@dataclass(frozen=True)
class Manifest:
    """Ground truth: record counts by kind and system-log entries by type."""

    entries: int
    seed: int
    records: dict[str, int]
    syslog_types: dict[str, int]
    files: int

    def as_json(self) -> dict[str, Any]:
        return {
            "entries": self.entries,
            "seed": self.seed,
            "records": self.records,
            "syslog_types": self.syslog_types,
            "files": self.files,
        }


class Writer:
    """Draws words, numbers, files and dates from one seeded generator, so the same seed gives the same text."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = COMMON + RARE + NOUNS
        self.weights = [1 / (rank + 1) for rank in range(len(self.words))]
        self.titles: set[str] = set()

    def word(self) -> str:
        return self.rng.choices(self.words, self.weights)[0]

    def phrase(self, count: int) -> str:
        return " ".join(self.word() for _ in range(count))

    def number(self) -> int:
        return self.rng.randint(10_000, 999_999)

    def sentence(self) -> str:
        """A line of prose: common words, one of a few known phrases now and then, and a number."""
        service, extra = self.rng.choice(SERVICES), self.phrase(self.rng.randint(2, 5))
        forms = [
            f"The {service} {self.rng.choice(NOUNS)} showed {extra} at {self.number()} requests per minute.",
            f"Saw {self.rng.choice(PHRASES)} in {service} after {extra}.",
            f"p95 {self.rng.choice(COMMON)} went from {self.rng.randint(100, 999)} ms to {self.number()} us; {extra}.",
        ]
        return self.rng.choices(forms, [5, 1, 2])[0]

    def title(self) -> str:
        """A title no other record of the corpus has: verb, words, noun and a service."""
        while True:
            words = f"{self.word().capitalize()} {self.rng.choice(NOUNS)} in {self.rng.choice(SERVICES)}"
            title = f"{self.rng.choice(VERBS)} {words} {self.rng.choice(RARE)} {self.rng.choice(TOOLS)}"
            if title not in self.titles:
                self.titles.add(title)
                return title

    def files(self, low: int = 1, high: int = 3) -> list[str]:
        return self.rng.sample(FILES, self.rng.randint(low, high))

    def lines(self, path: str) -> str:
        start = self.rng.randint(1, 300)
        return f"`{path}` (lines {start}-{start + self.rng.randint(1, 80)})"

    def stamps(self, count: int) -> list[datetime]:
        """`count` moments between START and END, oldest first."""
        span = int((END - START).total_seconds() // 60)
        return sorted(START + timedelta(minutes=self.rng.randrange(span)) for _ in range(count))


def counts(total: int) -> dict[str, int]:
    """Records of each kind for a corpus of `total`; the system log takes what the others leave."""
    kinds = {kind: round(total * share) for kind, share in SHARES.items()}
    return {"syslog": total - sum(kinds.values()), **kinds}


# ---- system log ---------------------------------------------------------------------------------------


def entry(w: Writer, when: datetime, kind: str, incident: str | None) -> str:
    tag = w.rng.choice(TAGS) if w.rng.random() < 0.15 else ""
    title = w.title()
    head = f"## {when:%Y-%m-%d %H:%M} UTC - {title}"
    lines = [head, f"**Type:** {kind}" + (f" ({tag})" if tag else ""), "**Affected Files:**"]
    lines += [f"- {w.lines(path)}" for path in w.files()]
    lines += ["**Chain of Reasoning:**", f"- **Observation:** {w.sentence()}", f"- **Hypothesis:** {w.sentence()}"]
    lines += ["- **Action:**", *(f"1. {w.sentence()}" for _ in range(w.rng.randint(1, 3)))]
    lines += ["**Result:**", *(f"- {w.sentence()}" for _ in range(w.rng.randint(1, 3)))]
    lines.append(f"**Confidence:** {w.rng.choice([70, 75, 80, 85, 90, 95, 98])}% - {w.phrase(3)}")
    if kind == "Incident":
        lines += ["**Timeline:**", f"- {when:%H:%M} UTC: alert fired", "- later: mitigated and closed"]
        lines += ["**Impact:**", f"- {w.number()} requests failed"]
        lines += ["**Prevention:**", f"- [{w.rng.choice(' x')}] {w.sentence()}"]
    lines.append("**Related:**")
    lines.append(f"- Incident: {incident} (see INCIDENTS.md)" if incident else f"- {w.phrase(3)}")
    return "\n".join(lines) + "\n"


def system_log(w: Writer, out: Path, total: int, incidents: list[str]) -> Counter[str]:
    """The entries, newest first: the last 12 months in SYSTEM_LOG.md, older years in yearly archives."""
    kinds = w.rng.choices(TYPES, TYPE_WEIGHTS, k=total)
    stamps = w.stamps(total)
    linked = iter(incidents)
    blocks: dict[str, list[str]] = {}
    cutoff = END - timedelta(days=365)
    for when, kind in zip(stamps, kinds, strict=True):
        incident = next(linked, None) if kind == "Incident" else None
        name = "SYSTEM_LOG.md" if when >= cutoff else f"SYSTEM_LOG_ARCHIVE_{when:%Y}.md"
        blocks.setdefault(name, []).insert(0, entry(w, when, kind, incident))
    for name, entries in blocks.items():
        if name == "SYSTEM_LOG.md":
            archives = sorted((n for n in blocks if n != name), reverse=True)
            index = "".join(f"- [{n}]({n}) ({len(blocks[n])} entries)\n" for n in archives)
            head = f"# SYSTEM_LOG\n\nEvery change, newest first.\n\n## Index\n\n{index}\n---\n\n"
        else:
            head = f"# SYSTEM_LOG Archive {name[-7:-3]}\n\nEntries of {name[-7:-3]}, newest first.\n\n---\n\n"
        (out / name).write_text(head + "---\n\n".join(entries), encoding="utf-8")
    return Counter(kinds)


# ---- incidents and decisions --------------------------------------------------------------------------


def incidents_file(w: Writer, out: Path, total: int) -> list[str]:
    """INCIDENTS.md, newest first; the ids, oldest first, for the system-log entries to name."""
    stamps, numbers, blocks = w.stamps(total), Counter[int](), []
    ids = []
    for when in stamps:
        numbers[when.year] += 1
        ids.append(f"INC-{when.year}-{numbers[when.year]:03d}")
    for ident, when in zip(ids, stamps, strict=True):
        services = ", ".join(s.capitalize() for s in w.rng.sample(SERVICES, 2))
        actions = [f"* [{w.rng.choice(['Done', 'Open', 'In Progress'])}] {w.sentence()}" for _ in range(2)]
        lines = [f"**Incident ID:** {ident}", f"**Date:** {when:%Y-%m-%d}"]
        lines += [f"**Severity:** {w.rng.choice(['Critical', 'High', 'Medium', 'Low'])}"]
        lines += [f"**Services Affected:** {services}", f"**Title:** {w.title()}", ""]
        lines += ["**Symptoms:**", *(f"* {w.sentence()}" for _ in range(2)), ""]
        lines += ["**Root Cause:**", f"* {w.sentence()}", ""]
        lines += ["**Resolution:**", f"* Changed {w.lines(w.rng.choice(FILES))}.", f"* {w.sentence()}", ""]
        lines += ["**Action Items:**", *actions]
        blocks.insert(0, "\n".join(lines) + "\n")
    head = "# Past Incidents Log\n\nProduction incidents and how they were resolved.\n\n---\n\n"
    (out / "INCIDENTS.md").write_text(head + "\n---\n\n".join(blocks), encoding="utf-8")
    return ids


def adrs(w: Writer, out: Path, total: int) -> list[tuple[str, str, str, str]]:
    """docs/adr/NNN-*.md and their README index: (id, title, date, file name) of each, oldest first."""
    folder = out / "docs" / "adr"
    folder.mkdir(parents=True)
    made = []
    for number, when in enumerate(w.stamps(total), 1):
        title = w.title()
        name = f"{number:03d}-{'-'.join(title.lower().split())}.md"
        ident, date = f"ADR-{number:03d}", f"{when:%Y-%m-%d}"
        status = w.rng.choice(["Accepted", "Accepted", "Proposed", "Deprecated"])
        text = (
            f"# {ident}: {title}\n\n**Status:** {status}\n**Date:** {date}\n"
            f"**Deciders:** {w.rng.choice(TOOLS)} team\n\n"
            f"## Context\n\n{w.sentence()} {w.sentence()}\n\n## Decision\n\nWe will use {w.rng.choice(TOOLS)} "
            f"for the {w.rng.choice(NOUNS)}. {w.sentence()}\n\n## Consequences\n\n### Positive\n\n- {w.sentence()}\n"
            f"\n### Negative\n\n- {w.sentence()}\n\n## Alternatives Considered\n\n"
            f"- **{w.rng.choice(TOOLS)}:** rejected because {w.phrase(3)}\n\n## Related\n\n- SYSTEM_LOG: {date}\n"
        )
        (folder / name).write_text(text, encoding="utf-8")
        made.append((ident, title, date, name))
    index = "".join(f"- [{i}: {t}]({n}) - {d}\n" for i, t, d, n in made)
    (folder / "README.md").write_text(f"# Architecture Decision Records\n\n{index}", encoding="utf-8")
    return made


# ---- dev log ------------------------------------------------------------------------------------------

DEVLOG_HEAD = """# Development Log - {project}

A narrative chronicle of the project journey - the decisions, discoveries, and pivots that shaped the work.

---

## Current Context (Source of Truth)

**Last Updated:** {updated}

### Project State
- **Project:** {project}
- **Phase:** Beta

### Key Architectural Decisions
{decisions}
### Current Objectives
- [x] {done}
- [ ] {open}

### Known Risks & Blockers
- **Risk:** {risk}
- **Blocker:** {blocker}

---

## Decisions (ADR Index) - Newest First

{index}
---

## Daily Log - Newest First

"""


def devlog(w: Writer, out: Path, total: int, decisions: list[tuple[str, str, str, str]]) -> None:
    """DEVLOG.md: the current context, an index of the ADRs and one story a day, newest first."""
    days = sorted({when.date() for when in w.stamps(total * 2)}, reverse=True)[:total]
    stories = []
    for day in days:
        files = ", ".join(f"`{f}`" for f in w.files(2, 4))
        parts = [f"### {day:%Y-%m-%d}: {w.title()}", f"**The Problem:** {w.sentence()}"]
        parts += [f"**The Discovery:** {w.sentence()} {w.sentence()}", f"**The Result:** {w.sentence()}"]
        parts += [f"**Files Changed:** {files}", f"**Shipped:** v0.{day.year - 2018}.{day.month}"]
        stories.append("\n\n".join(parts) + "\n")
    newest = list(reversed(decisions))
    links = [f"- **{i} ({d}):** {t} [→ Full ADR](adr/{n})" for i, t, d, n in newest]
    text = DEVLOG_HEAD.format(
        project="Synthetic Service",
        updated=f"{days[0]:%Y-%m-%d}",
        decisions="\n".join(links[:3]) + "\n",
        done=w.sentence(),
        open=w.sentence(),
        risk=w.sentence(),
        blocker=w.sentence(),
        index="".join(f"- **{i} ({d}):** {t} - {w.phrase(4)} [→ Full ADR](adr/{n})\n" for i, t, d, n in newest),
    )
    archive = "## Archive\n\nNothing archived yet.\n"
    (out / "DEVLOG.md").write_text(text + "\n---\n\n".join(stories) + "\n---\n\n" + archive, encoding="utf-8")


# ---- sessions, change documents, features -------------------------------------------------------------

RULE = "=" * 80


def _banner(title: str) -> str:
    return f"{RULE}\n{title}\n{RULE}\n"


def sessions(w: Writer, out: Path, total: int) -> int:
    """progress/session-NNN.txt, four features each, and feature_list.json: the number of features."""
    (out / "progress").mkdir()
    features: list[dict[str, Any]] = []
    for number, when in enumerate(w.stamps(total), 1):
        mine = []
        for _ in range(4):
            features.append(
                {
                    "id": len(features) + 1,
                    "category": w.rng.choice(SERVICES),
                    "description": w.title(),
                    "steps": [w.sentence()],
                    "passes": True,
                }
            )
            mine.append(features[-1])
        done = "\n\n".join(
            f"✅ {k}. FEATURE #{f['id']}: {f['description'].upper()}\n   - {w.sentence()}"
            for k, f in enumerate(mine, 1)
        )
        passing = mine[-1]["id"]
        done += f"\n\n✅ 5. FEATURE COUNT\n   - {passing}/{4 * total} features now passing"
        issues = "\n".join(
            f"{k}. {'✅ RESOLVED: ' if w.rng.random() < 0.5 else ''}{w.rng.choice(NOUNS).capitalize()} in "
            f"{w.rng.choice(SERVICES)}\n   - {w.sentence()}"
            for k in range(1, 4)
        )
        files = "\n".join(f"- {f}" for f in w.files(1, 3))
        text = (
            f"{_banner(f'Synthetic Service - SESSION {number} PROGRESS SUMMARY')}\n"
            f"Date: {when:%B} {when.day}, {when.year}\nSession: {number} of Many\n"
            f"Status: ✅ COMPLETE (Features #{mine[0]['id']}-{mine[-1]['id']} passing)\n\n"
            f"{_banner('ACCOMPLISHMENTS')}\n{done}\n\n{_banner('FILES CREATED/MODIFIED')}\n{files}\n\n"
            f"{_banner('KNOWN ISSUES / TECHNICAL DEBT')}\n{issues}\n\n"
            f"{_banner(f'END OF SESSION {number} SUMMARY')}"
        )
        (out / "progress" / f"session-{number:03d}.txt").write_text(text, encoding="utf-8")
    (out / "feature_list.json").write_text(json.dumps(features, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(features)


def change_documents(w: Writer, out: Path, total: int) -> None:
    """docs/changes/YYYY-MM-DD-*.md: blockers with their status, files, solution and result, and a test run."""
    folder = out / "docs" / "changes"
    folder.mkdir(parents=True)
    for number, when in enumerate(w.stamps(total), 1):
        count = w.rng.randint(2, 4)
        statuses = [w.rng.choice(["RESOLVED", "RESOLVED", "ALREADY RESOLVED", "PARTIAL"]) for _ in range(count)]
        blockers = []
        for k, status in enumerate(statuses, 1):
            files = "\n".join(f"- `/workspaces/{f}` - {w.phrase(2)}" for f in w.files(1, 3))
            blockers.append(
                f"### Blocker {k}: {w.rng.choice(NOUNS).capitalize()} in {w.rng.choice(SERVICES).capitalize()}\n\n"
                f"**Status**: **{status}**\n\n**Files Created**:\n{files}\n\n**Solution**:\n- {w.sentence()}\n\n"
                f"**Result**: {w.sentence()}\n"
            )
        resolved = sum(s != "PARTIAL" for s in statuses)
        title = f"Blockers of milestone {number}"
        text = (
            f"# Change Log: {title}\n\n## Date\n{when:%Y-%m-%d}\n\n## Author\n{w.rng.choice(TOOLS)} team\n\n"
            f"## Summary\nResolved {resolved} of {count} blockers. {w.sentence()}\n\n## Changes\n\n"
            + "\n---\n\n".join(blockers)
            + f"\n---\n\n## Testing\n\n### {w.rng.choice(SERVICES).capitalize()} Tests: ✅ {resolved}/{count} PASSING\n"
        )
        (folder / f"{when:%Y-%m-%d}-blockers-of-milestone-{number}.md").write_text(text, encoding="utf-8")


def write_corpus(out: Path, total: int, seed: int = 7) -> Manifest:
    """A corpus of `total` records in `out` (absent or empty); its manifest."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise ValueError(f"{out} is not empty")
    w, kinds = Writer(seed), counts(total)
    decisions = adrs(w, out, kinds["adr"])
    incident_ids = incidents_file(w, out, kinds["incident"])
    types = system_log(w, out, kinds["syslog"], incident_ids)
    devlog(w, out, kinds["devlog"], decisions)
    sessions(w, out, kinds["session"])
    change_documents(w, out, kinds["change"])
    files = sum(1 for p in out.rglob("*") if p.is_file())
    return Manifest(total, seed, kinds, {t: types[t] for t in TYPES}, files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--entries", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--manifest", type=Path)
    args = parser.parse_args()
    manifest = write_corpus(args.out, args.entries, args.seed)
    if args.manifest:
        args.manifest.write_text(json.dumps(manifest.as_json(), indent=2) + "\n", encoding="utf-8")
    print(f"records={args.entries} files={manifest.files}")


if __name__ == "__main__":
    main()
