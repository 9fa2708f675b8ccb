"""Coding agents: the rule files, MCP servers and session hooks `whylog init --agent NAME` writes, and
what those hooks run (`whylog agent-hook EVENT`).

Every agent gets a short always-on rule: read `whylog context` at the start of a session, search the
records before claiming a fix, log each completed change with `whylog add entry --from-git`.

    agent     rule                                  MCP server (`whylog mcp`)   hooks
    claude    CLAUDE.md (block)                     .mcp.json mcpServers        .claude/settings.json
    cursor    .cursor/rules/whylog.mdc (ours)       .cursor/mcp.json mcpServers
    windsurf  .windsurf/rules/whylog.md (ours)      - (global only)
    cline     .clinerules/whylog.md (ours)          - (global only)
    codex     AGENTS.md (block)                     - (global only)
    copilot   .github/copilot-instructions.md       .vscode/mcp.json servers
              (block)

Files the user may already keep get the text as a block between `<!-- whylog:begin -->` and
`<!-- whylog:end -->`: appended when absent, replaced in place when present; every byte outside the block
stays, line endings included. Files under an agent's rules folder named `whylog.*` are wholly ours and
rewritten whole. JSON configs are merged: only the `whylog` server and the hook entries whose command
starts with `whylog agent-hook` are added or replaced; other keys keep their values and order; a file
whose content would not change is not rewritten (so its formatting stays), one that does is written with a
2-space indent. JSON that does not parse, or whose top level is not an object, is a `WriteError` and
nothing of that agent is written. Running again changes nothing ("kept").

Windsurf, Cline and Codex read MCP servers only from the user's home folder (outside the repo), which
`init` never writes; their rule says how to add the server by hand. Configs name the plain command
`whylog` (with args `["mcp"]` or `agent-hook EVENT`), so they are the same on every machine: whylog must
be on the agent's PATH.

The hooks (Claude Code): SessionStart prints the `whylog context` brief, which Claude Code adds to the
session. Stop exits 2 with a reason on stderr (Claude Code then carries on and shows it to the model) when
code changed that no record covers: commits since the commit of the newest entry (none when the log has no
committed entry yet) and uncommitted changes to tracked files, with the same coverage as `whylog lint`'s
FIL011 (a record naming the file or a folder holding it). A hook never breaks a session: outside a whylog
repo, or on any whylog error, it exits 0.
"""

from __future__ import annotations

import json
import shlex
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from whylog import git
from whylog.checks.unlogged import find_uncovered, find_unlogged, named_in_index, newest_entry_commit
from whylog.model.errors import WhylogError, WriteError
from whylog.repo import CONFIG_NAME, find_root, read_config, write_repo_file

Outcome = Literal["wrote", "updated", "kept"]
AGENTS = ("claude", "cursor", "windsurf", "cline", "codex", "copilot")
BEGIN = "<!-- whylog:begin -->"
END = "<!-- whylog:end -->"
HOOK_COMMAND = "whylog agent-hook"
SERVER = {"command": "whylog", "args": ["mcp"]}
HOOKS = {"SessionStart": f"{HOOK_COMMAND} session-start", "Stop": f"{HOOK_COMMAND} stop"}
SHOWN = 5  # files named in the stop hook's reason

_RULE = """\
## whylog: this repo's engineering memory

Past changes, incidents and decisions are kept as records in this repo's Markdown files; whylog reads them.

- Start of a session: read `whylog context` (MCP tool `context`) before you change anything.
- Before you claim a fix or a cause: check what was tried before with `whylog search "WORDS"` and
  `whylog why PATH:LINE` (MCP tools `search`, `why`); name the record ids you rely on.
- After each completed change: log it with `whylog add entry --from-git --title "..."` (stage it first;
  for commits, `--from-git A..B`), saying what you observed, tried and got (MCP tool `add`).
- Keep `whylog lint` clean; never rewrite or delete records you did not write.
- MCP: {mcp}
"""
_MCP_LINE = {
    "claude": "the `whylog` server (`whylog mcp`, whylog on PATH) is registered in `.mcp.json`.",
    "cursor": "the `whylog` server (`whylog mcp`, whylog on PATH) is registered in `.cursor/mcp.json`.",
    "copilot": "the `whylog` server (`whylog mcp`, whylog on PATH) is registered in `.vscode/mcp.json`.",
}
_MCP_GLOBAL = (
    "not registered here, as {agent} keeps MCP servers in the user's own settings; to add it, name\n"
    "  a server `whylog` running `whylog mcp`. The commands above work without it."
)
_GLOBAL_NAMES = {"windsurf": "Windsurf", "cline": "Cline", "codex": "Codex"}


def rule_text(agent: str) -> str:
    """The rule's Markdown for `agent`, ending with a newline."""
    mcp = _MCP_LINE.get(agent) or _MCP_GLOBAL.format(agent=_GLOBAL_NAMES[agent])
    return _RULE.format(mcp=mcp)


# --- what each agent gets: a path and how its new text follows from its old one ---------------------------

Edit = Callable[[str | None, str], str]  # (old text or None when absent, path for errors) -> new text


def _whole(text: str) -> Edit:
    return lambda old, path: text


def _block(text: str) -> Edit:
    return lambda old, path: replace_block(old or "", text, path)


def _server(key: str, server: dict[str, Any]) -> Edit:
    def edit(old: str | None, path: str) -> str:
        data = _read_json(old, path)
        servers = _object(data, key, path)
        servers["whylog"] = server
        return _json_text(old, data, path)

    return edit


def _hooks(old: str | None, path: str) -> str:
    data = _read_json(old, path)
    hooks = _object(data, "hooks", path)
    for event, command in HOOKS.items():
        groups = hooks.setdefault(event, [])
        if not isinstance(groups, list):
            raise WriteError(f'"hooks"."{event}" is not a JSON array', path, hint="fix it or move the file away")
        hooks[event] = merge_hook(groups, command)
    return _json_text(old, data, path)


def plan(agent: str) -> list[tuple[str, Edit]]:
    """The files `agent` gets, in the order they are written."""
    if agent not in AGENTS:
        raise WriteError(f"unknown agent {agent!r}", hint="one of " + ", ".join(AGENTS))
    rule = rule_text(agent)
    front = {
        "cursor": "---\ndescription: whylog, this repo's engineering records\nglobs:\nalwaysApply: true\n---\n\n",
        "windsurf": "---\ntrigger: always_on\n---\n\n",
    }
    files: dict[str, list[tuple[str, Edit]]] = {
        "claude": [
            ("CLAUDE.md", _block(rule)),
            (".mcp.json", _server("mcpServers", SERVER)),
            (".claude/settings.json", _hooks),
        ],
        "cursor": [
            (".cursor/rules/whylog.mdc", _whole(front["cursor"] + rule)),
            (".cursor/mcp.json", _server("mcpServers", SERVER)),
        ],
        "windsurf": [(".windsurf/rules/whylog.md", _whole(front["windsurf"] + rule))],
        "cline": [(".clinerules/whylog.md", _whole(rule))],
        "codex": [("AGENTS.md", _block(rule))],
        "copilot": [
            (".github/copilot-instructions.md", _block(rule)),
            (".vscode/mcp.json", _server("servers", {"type": "stdio", **SERVER})),
        ],
    }
    return files[agent]


def install_agent(root: Path, name: str) -> list[tuple[str, Outcome]]:
    """Write `name`'s files under `root`; (path relative to root, outcome) for each. Every new text is
    worked out before the first write, so a config that cannot be merged leaves all files as they were."""
    changes: list[tuple[str, Path, str | None, str]] = []
    for rel, edit in plan(name):
        path = root / rel
        if path.parent.exists() and not path.parent.is_dir():
            raise WriteError(
                f"{path.parent.relative_to(root).as_posix()} is a file, where {name} wants a folder",
                rel,
                hint=f"move its text into {rel} or another file of that folder, then run `whylog init` again",
            )
        old = _read_text(path, rel)
        changes.append((rel, path, old, edit(old, rel)))
    done: list[tuple[str, Outcome]] = []
    for rel, path, old, new in changes:
        if old == new:
            done.append((rel, "kept"))
            continue
        write_repo_file(root, path, new)
        done.append((rel, "wrote" if old is None else "updated"))
    return done


def _read_text(path: Path, rel: str) -> str | None:
    if not path.exists():
        return None
    try:
        # bytes, not read_text: newline translation would turn CRLF files into LF ones.
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise WriteError("not UTF-8 text; left as it is", rel, hint="convert it to UTF-8 first") from None


# --- the marked block ---------------------------------------------------------------------------------------


def replace_block(text: str, body: str, path: str) -> str:
    """`text` with the whylog block holding `body`: replaced in place when there, else appended after a
    blank line. The block takes the file's line ending (CRLF when the file has any); nothing else changes."""
    newline = "\r\n" if "\r\n" in text else "\n"
    block = newline.join([BEGIN, *body.rstrip("\n").split("\n"), END])
    start = text.find(BEGIN)
    if start >= 0:
        end = text.find(END, start)
        if end < 0:
            line = text.count("\n", 0, start) + 1
            raise WriteError(f"{BEGIN} has no {END} after it", path, line, hint=f"add {END} where whylog's text ends")
        return text[:start] + block + text[end + len(END) :]
    if not text:
        return block + newline
    lead = "" if text.endswith(newline * 2) else newline if text.endswith("\n") else newline * 2
    return text + lead + block + newline


# --- JSON configs --------------------------------------------------------------------------------------------


def _read_json(old: str | None, path: str) -> dict[str, Any]:
    if old is None:
        return {}
    try:
        data = json.loads(old)
    except json.JSONDecodeError as exc:
        raise WriteError(
            f"not valid JSON: {exc.msg} (column {exc.colno}); left as it is",
            path,
            exc.lineno,
            hint="fix the file or move it away, then run `whylog init --agent` again",
        ) from None
    if not isinstance(data, dict):
        raise WriteError("the top level is not a JSON object; left as it is", path, 1, hint="fix it or move it away")
    return data


def _object(data: dict[str, Any], key: str, path: str) -> dict[str, Any]:
    value = data.setdefault(key, {})
    if not isinstance(value, dict):
        raise WriteError(f'"{key}" is not a JSON object; left as it is', path, hint="fix it or move the file away")
    return value


def _json_text(old: str | None, data: dict[str, Any], path: str) -> str:
    """The new text: `old` itself when its data already equals `data` (its formatting stays), else `data`
    with a 2-space indent and a trailing newline."""
    if old is not None and json.loads(old) == data:
        return old
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _is_ours(hook: Any) -> bool:
    command = hook.get("command") if isinstance(hook, dict) else None
    return isinstance(command, str) and command.startswith(HOOK_COMMAND)


def merge_hook(groups: list[Any], command: str) -> list[Any]:
    """An event's hook groups with exactly one of ours, running `command`: the first of ours is replaced in
    place (keeping keys such as a timeout), any others removed with groups they leave empty; when there
    is none, a group of ours is appended."""
    wanted = {"type": "command", "command": command}
    out: list[Any] = []
    placed = False
    for group in groups:
        inner = group.get("hooks") if isinstance(group, dict) else None
        if not isinstance(inner, list) or not any(_is_ours(h) for h in inner):
            out.append(group)
            continue
        kept: list[Any] = []
        for hook in inner:
            if not _is_ours(hook):
                kept.append(hook)
            elif not placed:
                kept.append({**hook, **wanted})
                placed = True
        if kept:
            out.append({**group, "hooks": kept})
    if not placed:
        out.append({"hooks": [wanted]})
    return out


# --- the hooks ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HookResult:
    """What a hook says: its exit status and what it writes to stdout and stderr."""

    status: int
    stdout: str = ""
    stderr: str = ""


def hook_result(root: Path | None, event: str, stdin_text: str) -> HookResult:
    """What the hook for `event` says; never raises for an expected problem (a hook must not break the
    agent's session): outside a whylog repo or on an error it exits 0, saying why on stderr at session
    start only."""
    payload = _payload(stdin_text)
    if event == "stop" and payload.get("stop_hook_active") is True:
        return HookResult(0)  # Claude Code already carried on once because of us: never loop
    start = root or (Path(payload["cwd"]) if isinstance(payload.get("cwd"), str) else None)
    folder = find_root(start)
    loud = event == "session-start"  # only a session start says why it has nothing: stop stays quiet
    if not (folder / CONFIG_NAME).is_file():
        return HookResult(
            0, stderr=f"whylog: no {CONFIG_NAME} in {folder} or above; run `whylog init`\n" if loud else ""
        )
    try:
        if event == "session-start":
            return _session_start(folder)
        if event == "stop":
            return _stop(folder)
    except (WhylogError, OSError, sqlite3.Error, ValueError) as exc:
        return HookResult(0, stderr=f"whylog: {exc}\n" if loud else "")
    return HookResult(0, stderr=f"whylog: unknown hook event {event!r}\n")


def _payload(stdin_text: str) -> dict[str, Any]:
    try:
        data = json.loads(stdin_text) if stdin_text.strip() else {}
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def _session_start(root: Path) -> HookResult:
    from whylog.lifecycle.context import DEFAULT_BUDGET, build_brief, render_markdown

    return HookResult(0, stdout=render_markdown(build_brief(read_config(root), DEFAULT_BUDGET)))


def _stop(root: Path) -> HookResult:
    config = read_config(root)
    if git.repo_root(root) is None:
        return HookResult(0)
    named = named_in_index(config)
    since = newest_entry_commit(config, named)
    commits = find_unlogged(config, since, named=named) if since is not None else []
    dirty = find_uncovered(config, git.uncommitted_paths(root), named=named)
    if not commits and not dirty:
        return HookResult(0)
    lines = ["whylog: code changed that no record covers; log it before you finish."]
    if commits:
        files = sorted({f for c in commits for f in c.files})
        what = "a commit" if len(commits) == 1 else f"{len(commits)} commits"
        lines.append(f"- {what} changed {_names(files)}; log {'it' if len(commits) == 1 else 'them'} with:")
        lines += [f"    {command}" for command in _commit_commands(root, [c.sha for c in commits])]
    if dirty:
        lines.append(f"- uncommitted changes to {_names(dirty)}; stage them, then log the staged change:")
        lines.append(f"    {staged_command(dirty)}")
    lines.append("Add what you observed, tried and got (`whylog add entry --help` lists the options).")
    return HookResult(2, stderr="\n".join(lines) + "\n")


def staged_command(paths: Sequence[str]) -> str:
    """The command that stages `paths` and logs them; it works as printed (a staged change has no commit
    subject, so it carries a title naming the files, for the agent to improve)."""
    title = "Changed " + _names(list(paths), 3)
    add = f"whylog add entry --from-git --title {shlex.quote(title)}"
    return "git add -- " + " ".join(shlex.quote(f) for f in paths) + " && " + add


def _names(files: Sequence[str], shown: int = SHOWN) -> str:
    names = ", ".join(files[:shown])
    return names + (f" and {len(files) - shown} more" if len(files) > shown else "")


def _commit_commands(root: Path, shas: Sequence[str]) -> list[str]:
    """One `--from-git` command for commits listed newest first: the commit, or the range from the oldest
    one's parent to the newest (per commit when the oldest is a root commit)."""
    if len(shas) == 1:
        return [f"whylog add entry --from-git {shas[0][:12]}"]
    parent = git.read_commit(root, shas[-1]).parent
    if parent is None:
        return [f"whylog add entry --from-git {sha[:12]}" for sha in reversed(shas)]
    return [f"whylog add entry --from-git {parent[:12]}..{shas[0][:12]}"]
