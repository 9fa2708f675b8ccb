"""The secret guard: credentials are found with their field and position, prose is not, `add` refuses them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, SEED_NAMES, seed_path
from whylog.markdown.readers import read_path, read_text
from whylog.model import EntryFields, FileRef, Record
from whylog.model.errors import WriteError
from whylog.repo import Config
from whylog.writing.placement import add_record
from whylog.writing.secrets import Finding, find_secrets_in_record, find_secrets_in_text, lint_secrets

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
# Built from parts so that no scanner takes this test file for a leak; all are documentation examples.
AWS = "AKIA" + "IOSFODNN7EXAMPLE"
STRIPE = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"
JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"

CAUGHT = [
    (f"rotated {AWS} today", 9, "AWS Access Key"),
    ("token ghp_" + "1234567890abcdefghijklmnopqrstuvwxyzAB", 7, "GitHub Token"),
    ("bot xoxb-" + "1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", 5, "Slack Token"),
    (f"charged with {STRIPE}", 14, "Stripe Access Key"),
    ("-----BEGIN RSA " + "PRIVATE KEY-----", 6, "Private Key"),
    ("dsn postgres://admin:" + "Tr0ub4dor3@db.internal:5432/app", 22, "Basic Auth Credentials"),
    (f"header {JWT}", 8, "JSON Web Token"),
    ('api_key = "aB3xY9zQ1wE5rT7uI2oP4aS6dF8gH0jK"', 12, "Base64 High Entropy String"),
    ('password = "hunter2hunter2"', 13, "Secret Keyword"),
    ("the dev compose file sets password: `Tr0ub4dor&3`", 38, "Secret Keyword"),
]

PROSE = [
    "Reverted commit 4a2a009c98dac1e4023c65b8b28e29c7e38a1b2c and c98dac1",
    'the bad commit was "4a2a009c98dac1e4023c65b8b28e29c7e38a1b2c"',
    "correlation id 0f8fad5b-d9cb-469f-a165-70867728950e in the gateway logs",
    "Patched CVE-2024-XXXXX and CVE-2024-12345",
    "see /etc/ssl/private/server.key and src/auth/token_store.py (lines 10-40)",
    "Moved password hashing to argon2; the password reset flow is unchanged",
    "PASSWORD=*** was redacted from the logs; api_key: see the vault",
    "token = os.environ['API_TOKEN']",
    "api_key: `settings.API_KEY` from the settings module",
    "secret: `vault:kv/prod/db` is where it lives",
    'password = "xxxxxxxx" in the sample; password = "DB_PASSWORD"',
]


@pytest.mark.parametrize(("text", "column", "kind"), CAUGHT, ids=[kind for _, _, kind in CAUGHT])
def test_each_credential_kind_is_found_at_its_column(text: str, column: int, kind: str) -> None:
    assert find_secrets_in_text(f"first line\n{text}\n") == [(2, column, kind)]


@pytest.mark.parametrize("text", PROSE)
def test_engineering_prose_is_not_a_secret(text: str) -> None:
    assert find_secrets_in_text(text) == []


def entry(result: str = "- Stable", files: tuple[FileRef, ...] = ()) -> Record:
    fields = EntryFields(type="Bug Fix", observation="Pool ran dry", actions=("Raised the pool",), result=result)
    return Record("", "entry", "Fixed the pool exhaustion under load", "", fields, files=files)


def test_a_record_names_the_field_path_line_and_column() -> None:
    record = entry(f"- Stable\n- used key {AWS}", (FileRef("src/a.py"), FileRef(f"conf/{STRIPE}.env")))
    assert find_secrets_in_record(record) == [
        Finding("files[1].path", 1, 6, "Stripe Access Key"),
        Finding("fields.result", 2, 12, "AWS Access Key"),
    ]
    assert find_secrets_in_record(entry()) == []


@pytest.mark.parametrize("name", SEED_NAMES)
def test_the_seeds_hold_no_secret(name: str) -> None:
    path = seed_path(name)
    records = read_path(str(path)).records
    assert records
    assert [(r.id, f) for r in records for f in find_secrets_in_record(r)] == []
    assert find_secrets_in_text(path.read_text(encoding="utf-8")) == []


def test_the_examples_hold_no_secret() -> None:
    files = [p for p in EXAMPLES.rglob("*") if p.is_file()]
    assert files
    assert [(p.name, find_secrets_in_text(p.read_text(encoding="utf-8"))) for p in files if p.suffix != ".db"] == [
        (p.name, []) for p in files if p.suffix != ".db"
    ]


def test_add_refuses_a_secret_and_writes_nothing(tmp_path: Path) -> None:
    log = tmp_path / "SYSTEM_LOG.md"
    log.write_bytes(b"# SYSTEM_LOG\r\n\r\n")
    before = log.read_bytes()
    with pytest.raises(WriteError) as caught:
        add_record(Config(tmp_path), entry(f"key {AWS}"), NOW)
    assert caught.value.message == (
        "fields.result line 1, column 5: looks like an AWS Access Key; not written (--allow-secret, or allow_secret over MCP, writes it)"
    )
    assert caught.value.path == "SYSTEM_LOG.md"
    assert log.read_bytes() == before


def test_add_refuses_before_creating_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match=r"\(and 1 more\)"):
        add_record(Config(tmp_path), entry(f"key {AWS}\n{JWT}"), NOW)
    assert not (tmp_path / "SYSTEM_LOG.md").exists()


def test_allow_secret_writes_it(tmp_path: Path) -> None:
    written = add_record(Config(tmp_path), entry(f"key {AWS}"), NOW, allow_secret=True)
    assert AWS in written.fields.result  # type: ignore[union-attr]
    assert AWS in (tmp_path / "SYSTEM_LOG.md").read_text(encoding="utf-8")


def test_lint_secrets_reports_the_file_line() -> None:
    text = (
        "# SYSTEM_LOG\n\n## 2026-01-01 10:00 UTC - Rotated the deploy key for the bucket\n\n"
        f"**Type:** Security\n\n**Result:** the old key {AWS} is revoked\n"
    )
    (diagnostic,) = lint_secrets(read_text(text, "SYSTEM_LOG.md", "syslog"))
    assert (diagnostic.code, diagnostic.severity) == ("FIL010", "error")
    assert (diagnostic.source.path, diagnostic.source.start_line) == ("SYSTEM_LOG.md", 7)
    assert diagnostic.message == "column 25: looks like an AWS Access Key"


def test_the_detector_is_imported_lazily() -> None:
    import subprocess
    import sys

    code = "import whylog.writing.secrets, whylog.writing.placement, sys; print('detect_secrets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
