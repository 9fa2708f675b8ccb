"""`whylog init --agent NAME` (rule files, MCP servers, hooks) and `whylog agent-hook EVENT`.

Goldens are `tests/golden/agents/<agent>/<path>.golden`: the suffix keeps agents working on whylog itself
from reading them as real rule files (Cursor, Windsurf and Claude Code also read nested ones).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import GOLDEN
from tests.conftest import run_cli as run
from tests.scripted_git import CODE, Repo, entry, system_log
from whylog.agents import AGENTS, BEGIN, END, HookResult, hook_result, install_agent, replace_block, rule_text
from whylog.cli import AGENTS as CLI_AGENTS
from whylog.model.errors import WriteError
from whylog.repo import CONFIG_NAME, Config, render_config

AGENT_GOLDEN = GOLDEN / "agents"


def init(root: Path, *agents: str) -> tuple[int, list[str], str]:
    """Run `whylog init --agent ...` in `root`; the status, the agent lines of stdout, stderr."""
    args = ["-C", str(root), "init", *(a for name in agents for a in ("--agent", name)), "--no-merge-driver"]
    status, out, err = run(args)
    return status, [line for line in out.splitlines() if line.endswith(")") and not line.startswith(" ")], err


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `root` but whylog's state folder: its bytes and mtime."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".whylog" not in p.relative_to(root).parts
    }


def test_the_cli_and_the_module_know_the_same_agents() -> None:
    assert CLI_AGENTS == AGENTS


@pytest.mark.parametrize("name", AGENTS)
def test_each_agent_writes_its_golden_files(tmp_path: Path, name: str, update_goldens: bool) -> None:
    status, lines, err = init(tmp_path, name)
    assert (status, err) == (0, "")
    written = [line.split(" ")[1] for line in lines]
    assert lines == [f"wrote {path} ({name})" for path in written]
    folder = AGENT_GOLDEN / name
    for path in written:
        golden = folder / f"{path}.golden"
        actual = (tmp_path / path).read_bytes()
        if update_goldens or not golden.exists():
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(actual)
            if not update_goldens:
                pytest.fail(f"golden {golden} was missing and has been written; review and rerun")
        assert actual == golden.read_bytes(), path
    goldens = sorted(p.relative_to(folder).as_posix().removesuffix(".golden") for p in folder.rglob("*.golden"))
    assert goldens == sorted(written)


def test_a_second_run_keeps_every_file_byte_for_byte(tmp_path: Path) -> None:
    assert init(tmp_path, *AGENTS)[0] == 0
    before = snapshot(tmp_path)
    status, lines, err = init(tmp_path, *AGENTS)
    assert (status, err) == (0, "")
    assert lines and all(line.startswith("kept ") for line in lines)
    assert snapshot(tmp_path) == before


def test_the_rule_is_short_and_says_the_three_habits() -> None:
    for name in AGENTS:
        text = rule_text(name)
        assert 10 <= len(text.splitlines()) <= 15
        for needle in ("whylog context", "whylog add entry --from-git", "whylog search", "whylog why PATH:LINE"):
            assert needle in text
    assert "not registered here" in rule_text("codex") and ".mcp.json" in rule_text("claude")


# --- existing user files ------------------------------------------------------------------------------------


def block(name: str, newline: str = "\n") -> bytes:
    return (BEGIN + "\n" + rule_text(name) + END).replace("\n", newline).encode()


def test_claude_md_with_crlf_gets_the_block_appended_and_nothing_else_changes(tmp_path: Path) -> None:
    user = b"# Project\r\n\r\nUse tabs, not spaces.\r\n"
    (tmp_path / "CLAUDE.md").write_bytes(user)
    assert install_agent(tmp_path, "claude")[0] == ("CLAUDE.md", "updated")
    assert (tmp_path / "CLAUDE.md").read_bytes() == user + b"\r\n" + block("claude", "\r\n") + b"\r\n"
    assert install_agent(tmp_path, "claude")[0] == ("CLAUDE.md", "kept")


def test_an_old_block_is_replaced_in_place(tmp_path: Path) -> None:
    before, after = b"# Notes\n\nkeep me\n\n", b"\n\n## Mine\nno newline at the end"
    (tmp_path / "AGENTS.md").write_bytes(before + b"<!-- whylog:begin -->\nold words\n<!-- whylog:end -->" + after)
    assert install_agent(tmp_path, "codex") == [("AGENTS.md", "updated")]
    assert (tmp_path / "AGENTS.md").read_bytes() == before + block("codex") + after


def test_a_file_without_a_final_newline_gets_a_blank_line_before_the_block() -> None:
    assert replace_block("text", "body\n", "X.md") == f"text\n\n{BEGIN}\nbody\n{END}\n"
    assert replace_block("text\n\n", "body\n", "X.md") == f"text\n\n{BEGIN}\nbody\n{END}\n"
    assert replace_block("", "body\n", "X.md") == f"{BEGIN}\nbody\n{END}\n"


def test_a_block_without_its_end_is_an_error() -> None:
    with pytest.raises(WriteError) as caught:
        replace_block("a\nb\n" + BEGIN + "\nrest\n", "body\n", "CLAUDE.md")
    assert (caught.value.path, caught.value.line) == ("CLAUDE.md", 3)


def test_mcp_json_keeps_other_servers_and_keys_in_order(tmp_path: Path) -> None:
    user = {"mcpServers": {"other": {"command": "other-server", "args": ["--stdio"]}}, "note": "mine"}
    (tmp_path / ".mcp.json").write_text(json.dumps(user, indent=4), encoding="utf-8")
    assert install_agent(tmp_path, "claude")[1] == (".mcp.json", "updated")
    assert (tmp_path / ".mcp.json").read_bytes() == (
        b'{\n  "mcpServers": {\n    "other": {\n      "command": "other-server",\n      "args": [\n'
        b'        "--stdio"\n      ]\n    },\n    "whylog": {\n      "command": "whylog",\n      "args": [\n'
        b'        "mcp"\n      ]\n    }\n  },\n  "note": "mine"\n}\n'
    )


def test_a_config_already_holding_our_server_keeps_its_formatting(tmp_path: Path) -> None:
    text = '{"servers": {"whylog": {"type": "stdio", "command": "whylog", "args": ["mcp"]}}}'
    (tmp_path / ".vscode").mkdir()
    (tmp_path / ".vscode" / "mcp.json").write_text(text, encoding="utf-8")
    assert install_agent(tmp_path, "copilot")[1] == (".vscode/mcp.json", "kept")
    assert (tmp_path / ".vscode" / "mcp.json").read_text(encoding="utf-8") == text


def test_claude_settings_keep_permissions_and_other_hooks(tmp_path: Path) -> None:
    notify = {"hooks": [{"type": "command", "command": "notify-send done"}]}
    guard = {"matcher": "Bash", "hooks": [{"type": "command", "command": "guard.sh"}]}
    old_ours = {"type": "command", "command": "whylog agent-hook stop --old", "timeout": 30}
    user = {
        "permissions": {"allow": ["Bash(ls:*)"]},
        "hooks": {"Stop": [notify, {"hooks": [old_ours, {"type": "command", "command": "whylog agent-hook stop"}]}]},
        "model": "x",
    }
    user["hooks"]["PreToolUse"] = [guard]  # type: ignore[index]
    path = tmp_path / ".claude" / "settings.json"
    path.parent.mkdir()
    path.write_text(json.dumps(user), encoding="utf-8")
    assert install_agent(tmp_path, "claude")[2] == (".claude/settings.json", "updated")
    ours_stop = {"hooks": [{"type": "command", "command": "whylog agent-hook stop", "timeout": 30}]}
    ours_start = {"hooks": [{"type": "command", "command": "whylog agent-hook session-start"}]}
    expected = {
        "permissions": {"allow": ["Bash(ls:*)"]},
        "hooks": {"Stop": [notify, ours_stop], "PreToolUse": [guard], "SessionStart": [ours_start]},
        "model": "x",
    }
    assert path.read_bytes() == (json.dumps(expected, indent=2) + "\n").encode()
    assert install_agent(tmp_path, "claude")[2] == (".claude/settings.json", "kept")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"mcpServers": {\n  "x": {},\n}\n', ".mcp.json:3: not valid JSON"),
        ("[1, 2]\n", ".mcp.json:1: the top level is not a JSON object"),
        ('{"mcpServers": []}\n', '.mcp.json: "mcpServers" is not a JSON object'),
    ],
)
def test_a_bad_json_config_is_an_error_and_nothing_is_written(tmp_path: Path, text: str, where: str) -> None:
    (tmp_path / ".mcp.json").write_text(text, encoding="utf-8")
    status, lines, err = init(tmp_path, "claude")
    assert (status, lines) == (2, [])
    first, *rest = err.splitlines()
    assert first.startswith(f"whylog: error: {where}")
    assert [line for line in rest if not line.startswith("  hint:")] == []
    assert (tmp_path / ".mcp.json").read_text(encoding="utf-8") == text
    assert not (tmp_path / "CLAUDE.md").exists() and not (tmp_path / ".claude").exists()


def test_a_legacy_clinerules_file_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / ".clinerules").write_text("my rules\n", encoding="utf-8")
    status, lines, err = init(tmp_path, "cline")
    assert (status, lines) == (2, [])
    assert ".clinerules is a file" in err
    assert (tmp_path / ".clinerules").read_text(encoding="utf-8") == "my rules\n"


# --- the hooks ----------------------------------------------------------------------------------------------


# A whylog repo whose one entry names src/a.py, committed with src/a.py and src/b.py.
COMMITTED_FILES = {
    "src/a.py": CODE,
    "src/b.py": CODE,
    "SYSTEM_LOG.md": system_log(entry(0, "Fixed the pool exhaustion under load", "src/a.py")),
    CONFIG_NAME: render_config(Config(Path("."))).splitlines(),
    ".gitignore": [".whylog/"],
}


def test_stop_names_an_unlogged_commit_and_the_command_to_log_it(committed_repo: Repo) -> None:
    committed_repo.replace("src/b.py", 2, 2, ["two"])
    sha = committed_repo.commit("Change b")
    result = hook_result(committed_repo.root, "stop", '{"hook_event_name": "Stop", "stop_hook_active": false}')
    assert (result.status, result.stdout) == (2, "")
    assert "src/b.py" in result.stderr
    assert f"whylog add entry --from-git {sha[:12]}\n" in result.stderr


def test_stop_gives_a_range_for_several_commits(committed_repo: Repo) -> None:
    base = committed_repo.git("rev-parse", "HEAD").strip()
    committed_repo.replace("src/b.py", 2, 2, ["two"])
    committed_repo.commit("Change b")
    committed_repo.write("src/c.py", CODE)
    last = committed_repo.commit("Add c")
    result = hook_result(committed_repo.root, "stop", "")
    assert result.status == 2
    assert "src/b.py, src/c.py" in result.stderr
    assert f"whylog add entry --from-git {base[:12]}..{last[:12]}\n" in result.stderr


def test_stop_names_uncommitted_changes(committed_repo: Repo) -> None:
    committed_repo.replace("src/b.py", 3, 3, ["three"])
    result = hook_result(None, "stop", json.dumps({"cwd": str(committed_repo.root / "src")}))
    assert result.status == 2
    command = "git add -- src/b.py && whylog add entry --from-git --title 'Changed src/b.py'"
    assert f"    {command}\n" in result.stderr


def test_the_stop_hook_command_works_as_printed(committed_repo: Repo) -> None:
    import os
    import subprocess
    import sys

    from tests.scripted_git import ENV

    committed_repo.replace("src/b.py", 3, 3, ["three"])
    committed_repo.write("src/new file.py", CODE)
    committed_repo.git("add", "-N", "src/new file.py")  # intent to add: git lists it as changed
    result = hook_result(committed_repo.root, "stop", "{}")
    [command] = [line.strip() for line in result.stderr.splitlines() if line.startswith("    git add")]
    path = str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]
    env = {**os.environ, **ENV, "PATH": path}
    done = subprocess.run(["sh", "-c", command], cwd=committed_repo.root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("added LOG-")
    assert "whylog: fill in Observation, Hypothesis, Action, Result, Confidence of LOG-" in done.stderr
    log = (committed_repo.root / "SYSTEM_LOG.md").read_text(encoding="utf-8")
    assert re.search(r"^## \d{4}-\d\d-\d\d \d\d:\d\d UTC - Changed src/b.py, src/new file.py\n", log, re.M), log
    assert "- `src/b.py` (line 3)\n" in log and "- `src/new file.py` (new file)\n" in log


def test_stop_is_quiet_when_everything_is_logged_or_it_already_carried_on(committed_repo: Repo) -> None:
    committed_repo.replace("src/a.py", 2, 2, ["two"])
    committed_repo.commit("Change a")
    committed_repo.write("README.md", ["# docs only"])
    committed_repo.commit("Docs")
    assert hook_result(committed_repo.root, "stop", "{}") == HookResult(0)
    committed_repo.replace("src/b.py", 2, 2, ["two"])
    committed_repo.commit("Change b")
    assert hook_result(committed_repo.root, "stop", '{"stop_hook_active": true}') == HookResult(0)
    assert run(["-C", str(committed_repo.root), "agent-hook", "stop"], '{"stop_hook_active": true}') == (0, "", "")
    assert run(["-C", str(committed_repo.root), "agent-hook", "stop"], "{}")[0] == 2


def test_session_start_prints_the_context_brief(committed_repo: Repo) -> None:
    status, out, err = run(["-C", str(committed_repo.root), "agent-hook", "session-start"], "")
    assert (status, err) == (0, "")
    assert out.startswith("# Session brief")
    assert "Fixed the pool exhaustion under load" in out


def test_outside_a_whylog_repo_the_hooks_exit_0(tmp_path: Path) -> None:
    start = hook_result(tmp_path, "session-start", "")
    assert (start.status, start.stdout) == (0, "")
    assert start.stderr.count("\n") == 1 and "run `whylog init`" in start.stderr
    assert hook_result(tmp_path, "stop", "not json") == HookResult(0)


def test_a_whylog_error_in_a_hook_exits_0(committed_repo: Repo) -> None:
    (committed_repo.root / CONFIG_NAME).write_text("[sources\n", encoding="utf-8")
    start = hook_result(committed_repo.root, "session-start", "")
    assert (start.status, start.stdout) == (0, "")
    assert start.stderr.startswith("whylog: ") and start.stderr.count("\n") == 1
    assert hook_result(committed_repo.root, "stop", "") == HookResult(0)


def test_an_unknown_agent_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="unknown agent 'vim'"):
        install_agent(tmp_path, "vim")
    assert list(tmp_path.iterdir()) == []
