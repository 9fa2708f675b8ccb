"""`whylog add incident` into a repo that keeps one postmortem per file writes a new file in that folder,
in the template of its postmortems (headings, metadata lines, title prefix) and its naming scheme, reads
it back before it lands, and changes no existing file."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli
from tests.scripted_git import Repo
from tests.strategies import sentence, title
from whylog.markdown.readers import read_text
from whylog.markdown.writers.postmortems import DEFAULT_TEMPLATE, render_postmortem
from whylog.model import ActionItem, IncidentFields, Record

PORTUGUESE = [
    "# Post-mortem: Fila de e-mails parada",
    "",
    "- **Data do incidente:** 2026-02-03",
    "- **Severidade:** Média",
    "- **Status:** Resolvido",
    "",
    "## Resumo",
    "",
    "A fila de e-mails parou por duas horas.",
    "",
    "## Linha do tempo",
    "",
    "- **10:00 UTC** — fila parou",
    "",
    "## Causa raiz",
    "",
    "- O worker perdeu a conexão com o broker.",
    "",
    "## O que funcionou",
    "",
    "- O alerta disparou rápido.",
    "",
    "## Ações corretivas",
    "",
    "- [x] Reconexão automática no worker",
    "",
    "## Lições aprendidas",
    "",
    "- Conexões longas precisam de keepalive.",
]

RCA = [
    "# RCA 002: Gateway DNS timeout",
    "",
    "- **Status:** Resolved",
    "- **Date:** 2026-04-01",
    "- **Severity:** Medium",
    "",
    "## Summary",
    "",
    "The gateway could not resolve its upstreams.",
    "",
    "## Timeline",
    "",
    "- **2026-04-01 23:48 UTC:** fix merged",
    "",
    "## Root Cause Analysis",
    "",
    "1. **Resolver depended on DNS**: the resolver looked itself up.",
    "",
    "## Action Items",
    "",
    "- [x] **Fix:** use the ClusterIP",
]


def run(root: Path, *args: str) -> tuple[int, str]:
    code, out, err = run_cli(["-C", str(root), *args])
    return code, out + err


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*.md")}


def test_add_incident_in_a_dated_postmortem_folder_uses_its_template(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("docs/postmortems/2026-02-03-fila-de-emails-parada.md", PORTUGUESE)
    repo.commit("postmortems")
    before = _snapshot(repo.root)
    code, out = run(
        repo.root,
        *("add", "incident", "--title", "Login lento após deploy", "--date", "2026-05-11"),
        *("--severity", "Alta", "--status", "Resolvido", "--summary", "O login levou 9 s por uma hora."),
        *("--root-cause", "Índice removido na migração", "--action-items", "[ ] Teste de carga no login"),
        *("--timeline", "14:02 UTC: deploy", "--timeline", "14:10 UTC: alerta disparou"),
        *("--timeline", "15:02 UTC: serviço recuperado", "--format", "json"),
    )
    assert code == 0, out
    written = json.loads(out)
    assert written["fields"]["level"] == "high"
    assert (written["fields"]["minutes_to_detect"], written["fields"]["minutes_to_resolve"]) == (8, 60)
    path = repo.root / "docs/postmortems/2026-05-11-login-lento-apos-deploy.md"
    assert written["source"]["path"] == "docs/postmortems/2026-05-11-login-lento-apos-deploy.md"
    assert path.read_text(encoding="utf-8") == (
        "# Post-mortem: Login lento após deploy\n\n"
        "- **Data do incidente:** 2026-05-11\n- **Severidade:** Alta\n- **Status:** Resolvido\n\n"
        "## Resumo\n\nO login levou 9 s por uma hora.\n\n"
        "## Linha do tempo\n\n- **2026-05-11 14:02 UTC** — deploy\n- **2026-05-11 14:10 UTC** — alerta disparou\n"
        "- **2026-05-11 15:02 UTC** — serviço recuperado\n\n"
        "## Causa raiz\n\n- Índice removido na migração\n\n"
        "## Ações corretivas\n\n- [ ] Teste de carga no login\n\n"
        "## Lições aprendidas\n"
    )
    after = _snapshot(repo.root)
    assert {k: v for k, v in after.items() if k in before} == before  # no existing file changed
    assert not (repo.root / "INCIDENTS.md").exists()
    code, out = run(repo.root, "lint", str(path))
    assert code == 0 and "INC003" not in out and "INC004" not in out, out


def test_add_incident_in_a_numbered_folder_takes_the_next_number(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("docs/incidents/001-grafana-provisioning.md", [RCA[0].replace("002", "001"), *RCA[1:]])
    repo.write("docs/incidents/002-gateway-dns-timeout.md", RCA)
    repo.write("docs/incidents/README.md", ["# Incidents", "", "- [002](002-gateway-dns-timeout.md)"])
    repo.commit("rcas")
    code, out = run(
        repo.root,
        *("add", "incident", "--title", "Disk full on the runner", "--date", "2026-06-01", "--severity", "P2"),
        *("--root-cause", "Build caches never pruned", "--action-items", "[ ] Prune caches weekly"),
    )
    assert code == 0, out
    text = (repo.root / "docs/incidents/003-disk-full-on-the-runner.md").read_text(encoding="utf-8")
    assert text.startswith("# RCA 003: Disk full on the runner\n\n- **Date:** 2026-06-01\n- **Severity:** P2\n\n")
    assert "## Root Cause Analysis\n\n- Build caches never pruned\n" in text
    assert text.endswith("## Action Items\n\n- [ ] Prune caches weekly\n")


def test_add_incident_that_would_not_read_back_writes_nothing(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("docs/postmortems/2026-02-03-fila-de-emails-parada.md", PORTUGUESE)
    repo.commit("postmortems")
    before = _snapshot(repo.root)
    code, out = run(
        repo.root,
        *("add", "incident", "--title", "Broken", "--date", "2026-05-11", "--root-cause", "x"),
        *("--summary", "first line\n## Causa raiz\nsmuggled heading"),
    )
    assert code == 2 and "would not read back as given; nothing was written" in out, out
    assert _snapshot(repo.root) == before


def test_a_configured_empty_folder_gets_the_default_template(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("whylog.toml", ["[write]", 'incident = "docs/postmortems/"'])
    (repo.root / "docs/postmortems").mkdir(parents=True)
    code, out = run(
        repo.root, "add", "incident", "--title", "Cron ran twice", "--date", "2026-07-01", "--root-cause", "Two hosts"
    )
    assert code == 0, out
    text = (repo.root / "docs/postmortems/2026-07-01-cron-ran-twice.md").read_text(encoding="utf-8")
    assert text.startswith("# Postmortem: Cron ran twice\n\n**Date:** 2026-07-01\n\n## Summary\n")


@settings(max_examples=40, deadline=None)
@given(
    title(),
    st.sampled_from(["", "SEV1", "High", "P3"]),
    st.lists(sentence(), max_size=3),
    st.lists(st.tuples(sentence(), st.booleans()), max_size=3),
    st.sampled_from([DEFAULT_TEMPLATE, "\n".join(PORTUGUESE), "\n".join(RCA)]),
)
def test_postmortems_survive_write_then_read(
    name: str, severity: str, causes: list[str], actions: list[tuple[str, bool]], template: str
) -> None:
    fields = IncidentFields(
        severity=severity,
        root_cause=tuple(causes),
        action_items=tuple(ActionItem(text, done) for text, done in actions),
    )
    record = Record("INC-001", "incident", name, "2026-03-04", fields)
    text = "".join(line + "\n" for line in render_postmortem(record, template, 7))
    (read,) = read_text(text, "docs/postmortems/2026-03-04-x.md").records
    got = read.fields
    assert isinstance(got, IncidentFields)
    assert (read.title, read.date) == (name, "2026-03-04")
    assert (got.severity, got.root_cause, got.action_items) == (severity, tuple(causes), fields.action_items)


def test_parts_the_template_has_no_line_for_get_one_in_its_style() -> None:
    template = "# Outage report\n\n- **Status:** Open\n\n## Summary\n\n## Root Cause\n\n## Action Items\n"
    fields = IncidentFields(severity="SEV3", status="Resolved", root_cause=("Disk full",))
    record = Record("INC-001", "incident", "Disk full on db-2", "2026-08-09", fields)
    text = "".join(line + "\n" for line in render_postmortem(record, template))
    assert text.startswith(
        "# Disk full on db-2\n\n- **Status:** Resolved\n- **Date:** 2026-08-09\n- **Severity:** SEV3\n\n## Summary\n"
    )
    (read,) = read_text(text, "docs/postmortems/disk-full.md").records
    assert (read.date, read.fields.severity, read.fields.level) == ("2026-08-09", "SEV3", "medium")  # type: ignore[union-attr]


def test_a_new_postmortem_file_is_named_by_whole_words_in_any_script(tmp_path: Path) -> None:
    from whylog.model import IncidentFields, Record
    from whylog.writing.postmortem_files import PostmortemFolder, postmortem_path

    def name(title: str, naming: str = "dated") -> str:
        record = Record("INC-x", "incident", title, "2026-05-11", IncidentFields())
        return postmortem_path(PostmortemFolder(tmp_path, "", naming, 3, 7), record).name

    assert name("Login lento após deploy") == "2026-05-11-login-lento-apos-deploy.md"
    assert name("支付回调超时") == "2026-05-11-支付回调超时.md"
    assert name("Cache stampede", "numbered") == "007-cache-stampede.md"
    assert name("!!!", "slug") == "incident.md"
