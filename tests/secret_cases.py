"""The secret guard's table: planted credentials, one group per form, and harmless look-alikes.

Every credential is assembled here at import from a provider prefix and characters drawn from a seeded
random generator, so the repository holds no string that a scanner (or GitHub push protection) would take
for a key, and the same table comes out on every run. A planted case names the piece of its text where the
credential starts (`value`); the guard must report exactly that line and column. Used by
tests/test_secret_table.py and bench/secret_table.py (which prints the caught, missed and flagged counts).
"""

from __future__ import annotations

import base64
import random
import string
from dataclasses import dataclass

_RANDOM = random.Random(20261202)
ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "-_"
AWS_SECRET_CHARS = ALNUM + "/+"
ZWSP, WORD_JOINER, SOFT_HYPHEN = "\u200b", "\u2060", "\u00ad"


def fake(length: int, alphabet: str = ALNUM) -> str:
    """Random-looking characters with at least one capital, one small letter and one digit when the
    alphabet has them (so that a test never depends on the draw)."""
    while True:
        text = "".join(_RANDOM.choice(alphabet) for _ in range(length))
        wanted = [
            set(alphabet) & set(group) for group in (string.ascii_uppercase, string.ascii_lowercase, string.digits)
        ]
        if all(set(text) & group for group in wanted if group):
            return text


def hexdigest(length: int) -> str:
    return "".join(_RANDOM.choice("0123456789abcdef") for _ in range(length))


@dataclass(frozen=True, slots=True)
class Planted:
    """A text holding a credential of `form`, which starts where `value` first occurs in the text."""

    form: str
    text: str
    value: str

    def where(self) -> tuple[int, int]:
        """(line, column), 1-based, of the credential's first character."""
        index = self.text.index(self.value)
        line = self.text.count("\n", 0, index) + 1
        return line, index - (self.text.rfind("\n", 0, index) + 1) + 1


def _aws_secret() -> str:
    return fake(40, AWS_SECRET_CHARS)


def _github_pat() -> str:
    return "github_" + "pat_" + fake(22) + "_" + fake(59)


def _google() -> str:
    return "AI" + "za" + fake(35, URLSAFE)


def _openai() -> str:
    return "sk-" + "proj-" + fake(64, URLSAFE)


def _anthropic() -> str:
    return "sk-" + "ant-" + "api03-" + fake(93, URLSAFE) + "AA"


def _npm() -> str:
    return "npm" + "_" + fake(36)


def _square() -> str:
    return "sq0" + "atp-" + fake(22, URLSAFE)


def _aws_key_id() -> str:
    return "AK" + "IA" + fake(16, string.ascii_uppercase + string.digits)


def _password() -> str:
    return fake(6, string.ascii_lowercase) + fake(4, string.digits) + "!" + fake(3, string.ascii_uppercase)


def _basic(user: str) -> str:
    return base64.b64encode(f"{user}:{_password()}".encode()).decode()


def _planted() -> list[Planted]:
    cases: list[Planted] = []

    def add(form: str, template: str, value: str) -> None:
        cases.append(Planted(form, template.format(v=value), value))

    for template in (
        "aws_secret_access_key = {v}",
        "aws_secret_access_key={v}",
        "AWS_SECRET_ACCESS_KEY: {v}",
        "set aws_secret_access_key = {v} in the runner's env",
        "  aws_secret_access_key   =   {v}",
    ):
        add("aws secret key unquoted", template, _aws_secret())
    for template in (
        "token {v}",
        "pushed with {v} by mistake",
        "GH_TOKEN={v}",
        "git clone https://x:{v}@github.com/a/b",
    ):
        add("github_pat_", template, _github_pat())
    for template in ("maps key {v}", "GOOGLE_API_KEY={v}", "https://maps.example.com/api?key={v}&q=1", "`{v}`"):
        add("AIza (Google)", template, _google())
    for template in ("OPENAI_API_KEY={v}", "client = OpenAI(api_key={v})", "used {v} for the eval", "key: {v}"):
        add("sk-proj- (OpenAI)", template, _openai())
    for template in ("ANTHROPIC_API_KEY={v}", "x-api-key: {v}", "the agent ran with {v}", "{v}"):
        add("sk-ant-api03- (Anthropic)", template, _anthropic())
    for template in (
        "Authorization: Bearer {v}",
        'curl -H "Authorization: Bearer {v}" https://api.example.com',
        "authorization: bearer {v}",
        "Authorization: token {v}",
    ):
        add("Authorization: Bearer", template, fake(40, URLSAFE + "."))
    for template in (
        "Authorization: Basic {v}",
        'curl -H "Authorization: Basic {v}" https://api.example.com',
        "header was Basic {v}",
    ):
        add("Authorization: Basic", template, _basic("deploy"))
    for template in ("password={v}", "--password={v} --user app", "db?user=app&password={v}", "PASSWORD = {v}"):
        add("password=", template, _password())
    for template in ("password: {v}", "  password: {v}", "**Password:** {v}", "the staging password: {v} (rotated)"):
        add("password:", template, _password())
    for template in (
        "export DB_PASSWORD={v}",
        "export PGPASSWORD={v}",
        "export REDIS_PASS={v} && redis-cli",
        "export MYSQL_ROOT_PASSWORD={v}",
    ):
        add("export X_PASSWORD=", template, _password())
    for template in (
        "mysql -u root -p{v} app",
        "mysql -h db -uroot -p'{v}' -e 'select 1'",
        "mysqldump -u backup -p{v} --all-databases",
        "then mysql -p{v} to check",
    ):
        add("mysql -p", template, _password())
    for template in (
        "curl -u admin:{v} https://ci.example.com/api",
        "curl --user deploy:{v} -X POST https://x",
        "curl -s -u 'ops:{v}' https://x",
        "curl -uadmin:{v} https://x",
    ):
        add("curl -u user:pw", template, _password())
    for template in ("{v}", "NPM_TOKEN={v}", "published with {v}", "//registry.npmjs.org/:_authToken={v}"):
        add("npm_", template, _npm())
    for template in ("{v}", "SQUARE_ACCESS_TOKEN={v}", "square token {v} in the logs"):
        add("sq0atp- (Square)", template, _square())
    for template, key, mark in (
        ("key {v} today", _aws_key_id(), ZWSP),
        ("token {v}", _github_pat(), WORD_JOINER),
        ("export OPENAI_API_KEY={v}", _openai(), SOFT_HYPHEN),
        ("aws_secret_access_key = {v}", _aws_secret(), "\ufeff"),
        ("maps key {v}", _google(), ZWSP + ZWSP),
    ):
        add("zero-width inside", template, key[:9] + mark + key[9:])
    for first, second, key in (
        ("rotated {v}", "{w} today", _aws_key_id()),
        ("OPENAI_API_KEY={v}", "{w}", _openai()),
        ("token {v}", "   {w} (wrapped)", _github_pat()),
        ("maps key {v}", "{w}", _google()),
        ("ANTHROPIC_API_KEY={v}", "{w}", _anthropic()),
        ("export AWS_SECRET_ACCESS_KEY={v}\\", "  {w}", _aws_secret()),
    ):
        cut = len(key) // 2
        text = f"{first.format(v=key[:cut])}\n{second.format(w=key[cut:])}"
        cases.append(Planted("split over two lines", text, key[:cut]))
    return cases


def _harmless() -> list[tuple[str, str]]:
    sha256, md5, sha1, sri = hexdigest(64), hexdigest(32), hexdigest(40), base64.b64encode(_RANDOM.randbytes(64))
    return [
        ("sha256 quoted", f'sha256 = "{sha256}"'),
        ("sha256 quoted", f"checksum '{sha256}' matches"),
        ("sha256 unquoted", f"{sha256}  dist/app.tar.gz"),
        ("md5 quoted", f'"md5": "{md5}"'),
        ("md5 unquoted", f"md5 {md5}"),
        ("sha1 quoted", f"digest: '{sha1}'"),
        ("npm integrity", f'"integrity": "sha512-{sri.decode()}",'),
        ("npm integrity", f"integrity: sha512-{sri.decode()}"),
        ("npm integrity", f"integrity sha384-{base64.b64encode(_RANDOM.randbytes(48)).decode()}"),
        ("git sha quoted", f'reverted "{hexdigest(40)}" after the outage'),
        ("git sha quoted", f"'{hexdigest(40)}'"),
        ("git sha quoted", f'the bad commit was "{hexdigest(40)}"'),
        ("uuid", "correlation id 0f8fad5b-d9cb-469f-a165-70867728950e"),
        ("uuid", 'request_id="7c9e6679-7425-40de-944b-e07fc1f90ae7"'),
        ("redacted", "password: <redacted>"),
        ("redacted", "password=****"),
        ("redacted", "PASSWORD=*** was redacted from the logs"),
        ("redacted", "api_key: [REDACTED]"),
        ("placeholder", "export DB_PASSWORD=${DB_PASSWORD}"),
        ("placeholder", "password: ${{ secrets.DB_PASSWORD }}"),
        ("placeholder", "api_key=YOUR_API_KEY"),
        ("placeholder", "token: <your-token-here>"),
        ("placeholder", "Authorization: Bearer $TOKEN"),
        ("placeholder", "Authorization: Bearer <token>"),
        ("placeholder", "curl -u $USER:$PASS https://x"),
        ("placeholder", "mysql -u root -p app"),
        ("placeholder", "AUTH_TOKEN=$(vault read -field=token secret/ci)"),
        ("placeholder", "password = os.environ['DB_PASSWORD']"),
        ("placeholder", "secret: vault:kv/prod/db"),
        ("prose", "the password field is hashed with argon2"),
        ("prose", "password: see the vault"),
        ("prose", "Password: changed on every deploy"),
        ("prose", "Bearer tokens now expire after an hour; Basic authentication is gone"),
        ("prose", "tests passed; bypass=cache for the smoke run"),
        ("prose", "max_tokens: 4096, token_ttl=3600, password_min_length: 12"),
        ("prose", "secret_name: prod-db-credentials"),
        ("prose", "LOG-2026-03-19-1432 and ADR-002 describe the\nmigration of ReportGeneratorV2Handler"),
        ("prose", "the connection pool (src/db/pool_manager_v2.py) ran\ndry under load"),
        ("prose", "see CVE-2024-12345 and the key rotation runbook"),
        ("prose", "primary key: user_id, cache key=v2:users:123"),
        ("prose", "token budget: 400 tokens, context_tokens=12000; tokenizer: cl100k_base"),
        ("prose", "auth_token: refreshed at 10:00Z"),
        ("placeholder", 'curl -u "$GH_USER:$GH_TOKEN" https://api.github.com'),
        ("placeholder", "Authorization: Bearer ${{ secrets.TOKEN }}"),
        ("placeholder", "private_key_path=/etc/ssl/private/app.key --password-file=/run/secrets/db"),
        ("placeholder", "pwd: /home/deploy/app"),
        ("prose", "the guard knows `curl -u user:pw` and `mysql -p`; test ids like [mysql -p-40]"),
        ("sha256 unquoted", f"image: nginx@sha256:{hexdigest(64)}"),
        ("git sha unquoted", f"git checkout {hexdigest(40)}"),
    ]


PLANTED = _planted()
HARMLESS = _harmless()
