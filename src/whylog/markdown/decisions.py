"""What a decision record means, whatever its template: the status in one vocabulary, the chosen word of
a status line that lists them all, options and drivers as lists, consequences split into good and bad,
and the decisions it supersedes or is superseded by as record ids.

Both the ADR reader (one decision per file) and the general reader (decision logs, many decisions in one
file) fill `DecisionFields` through these functions, so a decision reads the same in every template.

The status is kept as written (`status`, e.g. `Akzeptiert` or `Superseded by [0021-x](0021-x.md)`) and
normalized into `state`: one of STATES, or "" when the word is not one of them.
"""

from __future__ import annotations

import dataclasses
import os
import re

from whylog.model import DecisionFields

STATES = ("proposed", "accepted", "rejected", "deprecated", "superseded")

# Words per state, lower case, matched at the start of the status (after emphasis and punctuation).
_STATE_WORDS: dict[str, str] = {
    "superseded": (
        "superseded|superseeded|replaced|ersetzt|abgelöst|überholt|substituído|substituida|substituída|"
        "substituido|reemplazado|reemplazada|sustituido|remplacé|remplacée|已取代|已替代|被取代|取代|置き換え|"
        "置換|대체됨|대체|заменено|заменён|заменен|устарело и заменено"
    ),
    "deprecated": (
        "deprecated|obsolete|veraltet|obsoleto|obsoleta|descontinuado|obsolète|déprécié|已废弃|废弃|已弃用|"
        "非推奨|廃止|폐기|사용 중단|устарело|устаревшее"
    ),
    "rejected": (
        "rejected|declined|abgelehnt|verworfen|rejeitado|rejeitada|recusado|rechazado|rechazada|rejeté|rejetée|"
        "已拒绝|拒绝|却下|不採用|거부|거부됨|отклонено|отклонён|отклонен"
    ),
    "accepted": (
        "accepted|approved|adopted|active|decided|done|implemented|final|resolved|akzeptiert|angenommen|"
        "beschlossen|aktiv|genehmigt|gelöst|erledigt|aceito|aceita|aprovado|aprovada|resolvida|resolvido|decidido|"
        "decidida|aceptado|aceptada|aprobado|aprobada|resuelto|resuelta|"
        "accepté|acceptée|adopté|adoptée|已接受|已采纳|采纳|接受|已批准|承認|承認済み|採用|決定|승인|승인됨|채택|"
        "принято|принят|утверждено|одобрено"
    ),
    "proposed": (
        "proposed|proposal|draft|open|pending|under review|in review|in progress|vorgeschlagen|vorschlag|entwurf|"
        "offen|proposto|proposta|rascunho|aberta|aberto|pendente|propuesto|propuesta|borrador|abierto|abierta|"
        "pendiente|proposé|proposée|brouillon|ouvert|ouverte|提议|提議|提案|草案|"
        "待定|検討中|제안|제안됨|초안|предложено|предложен|черновик"
    ),
}
_WORDS = [(word, state) for state, words in _STATE_WORDS.items() for word in words.split("|")]
_WORDS.sort(key=lambda pair: -len(pair[0]))  # `superseded` before `super...`, longest first
_LEAD = re.compile(r"^[\W_]+")  # emphasis, punctuation, emoji (`✅ Resolvida`)
_BOLD = re.compile(r"\*\*([^*]+)\*\*|__([^_]+)__")
_ALTERNATIVES = re.compile(r"\s[|/]\s")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
_FILE_NUMBER = re.compile(r"^(?:adr|nr|no|dec)?[-_.]*0*(\d{1,5})[-_.]", re.IGNORECASE)
_DATE_NAME = re.compile(r"^(\d{8})(?:[-_](\d{4}))?[-_](.+)$")
_ADR_ID = re.compile(r"\bADR[- ]?0*(\d{1,5})\b", re.IGNORECASE)
_SUPERSEDED_BY = re.compile(
    r"superseded by|replaced by|ersetzt durch|abgelöst durch|substituído por|substituida por|reemplazado por|"
    r"remplacé par|被.*取代|заменено",
    re.IGNORECASE,
)
_SUPERSEDES = re.compile(r"supersedes|replaces|ersetzt\b(?! durch)|substitui|reemplaza|remplace|取代了|заменяет", re.I)


def state_of(status: str) -> str:
    """The status in one vocabulary: `Akzeptiert` -> accepted, `Superseded by ADR-9` -> superseded."""
    text = _LEAD.sub("", chosen_status(status)).strip().lower()
    for word, state in _WORDS:
        if text.startswith(word):
            rest = text[len(word) : len(word) + 1]
            if not rest or not rest.isalpha() or not word.isascii():
                return state
    return ""


def chosen_status(status: str) -> str:
    """The chosen word of a status line that lists every status with one in bold
    (`Proposed | **Accepted** | Rejected` -> `Accepted`); the line itself otherwise."""
    if _ALTERNATIVES.search(status):
        bold = _BOLD.search(status)
        if bold is not None:
            return (bold.group(1) or bold.group(2)).strip()
    return status.replace("**", "").replace("__", "").strip().strip("_*").strip()


def target_of(text: str) -> str | None:
    """The decision a reference names: `ADR-9`, or a link to a numbered (`0021-x.md`) or date-named
    (`20260526-x.md`) decision file."""
    for _label, target in _LINK.findall(text):
        if target.startswith(("http:", "https:")) or not target.split("#")[0].endswith((".md", ".markdown")):
            continue
        ident = id_of_file(target.split("#")[0])
        if ident is not None:
            return ident
    found = _ADR_ID.search(text)
    return f"ADR-{int(found.group(1)):03d}" if found is not None else None


def id_of_file(path: str) -> str | None:
    """The record id a decision file's name gives: `0021-x.md` -> ADR-021, `nr.-002-x.md` -> ADR-002,
    `20260526-evolution-report.md` -> ADR-20260526-evolution-report; None for other names."""
    stem = os.path.splitext(os.path.basename(path))[0]
    dated = _DATE_NAME.match(stem)
    if dated is not None:
        words = "-".join(re.sub(r"[^a-z0-9]+", "-", dated.group(3).lower()).strip("-").split("-")[:3])
        return f"ADR-{dated.group(1)}-{words}" if words else f"ADR-{dated.group(1)}"
    number = number_of_file(path)
    return f"ADR-{number:03d}" if number is not None else None


def number_of_file(path: str) -> int | None:
    """The decision number in a file name: `0005-x.md` -> 5, `nr.-002-x.md` -> 2, `000-PENDING-x.md` -> 0;
    None for a date-named file or a name without a number."""
    name = os.path.basename(path)
    if _DATE_NAME.match(os.path.splitext(name)[0]):
        return None
    found = _FILE_NUMBER.match(name)
    return int(found.group(1)) if found is not None else None


def supersession(texts: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(supersedes, superseded_by) ids named by status lines such as `Superseded by [0021-x](0021-x.md)`
    or `Supersedes ADR-3`."""
    supersedes: list[str] = []
    superseded_by: list[str] = []
    for text in texts:
        for line in text.split("\n"):
            target = target_of(line)
            if target is None:
                continue
            if _SUPERSEDED_BY.search(line):
                superseded_by.append(target)
            elif _SUPERSEDES.search(line):
                supersedes.append(target)
    return tuple(dict.fromkeys(supersedes)), tuple(dict.fromkeys(superseded_by))


_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d{1,3}[.)])\s+(.*)$")


def list_items(text: str) -> tuple[str, ...]:
    """The top-level list items of a Markdown text (each item's first line); when the text has
    sub-headings (`### 1. Option`), those headings are the items."""
    items: list[str] = []
    indent: int | None = None
    if any(raw.startswith("#") for raw in text.split("\n")):
        return tuple(h for h in (raw.lstrip("#").strip() for raw in text.split("\n") if raw.startswith("#")) if h)
    for raw in text.split("\n"):
        found = _ITEM.match(raw)
        if found is None:
            continue
        depth = len(found.group(1).expandtabs(4))
        if indent is None:
            indent = depth
        if depth <= indent and found.group(2).strip():
            items.append(found.group(2).strip())
    return tuple(items)


_OPTION_NUMBER = re.compile(r"^(?:option\s+)?\d{1,2}[.):]\s+", re.IGNORECASE)
_LEAD_NAME = re.compile(r"^\*\*([^*]+?)\*\*")
_LINK_TEXT = re.compile(r"\[([^\]]+)\]\([^)]*\)")


def option_names(text: str) -> tuple[str, ...]:
    """The options a Considered Options (or Alternatives) section lists: each item's bold name when it
    leads with one (`**Redis:** rejected because ...` -> Redis), else the item without link markup."""
    names = []
    for item in list_items(text):
        lead = _LEAD_NAME.match(item)
        name = lead.group(1) if lead is not None else _LINK_TEXT.sub(r"\1", item)
        names.append(_OPTION_NUMBER.sub("", name.strip()).rstrip(":：").strip())
    return tuple(n for n in names if n)


_GOOD = re.compile(
    r"^(?:good|positive|pros?|benefits?|advantages?|vorteile?|positiv|gut|prós|ventajas?|positivo|avantages?|"
    r"正向|优点|好处|利点|メリット|장점|плюсы|преимущества)\b",
    re.IGNORECASE,
)
_BAD = re.compile(
    r"^(?:bad|negative|cons?|drawbacks?|disadvantages?|risks?|nachteile?|negativ|schlecht|contras?|desventajas?|"
    r"negativo|inconvénients?|代价|缺点|坏处|欠点|デメリット|단점|минусы|недостатки)\b",
    re.IGNORECASE,
)


def good_and_bad(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Consequences split into good and bad: MADR's `* Good, because ...` / `* Bad, because ...` items,
    or the items under a `### Positive` / `### Negative` (Pros / Cons, Vorteile / Nachteile) heading or
    label line."""
    good: list[str] = []
    bad: list[str] = []
    side: list[str] | None = None
    for raw in text.split("\n"):
        line = raw.strip()
        head = line.lstrip("#").strip().replace("*", "").replace("_", "").strip()
        if line.startswith("#") or (head.endswith((":", "：")) and not _ITEM.match(raw)):
            side = good if _GOOD.match(head) else bad if _BAD.match(head) else None
            continue
        found = _ITEM.match(raw)
        if found is None or len(found.group(1)) > 1:
            continue
        item = found.group(2).strip()
        plain = item.replace("*", "").strip()
        if _GOOD.match(plain) and plain[:5].lower().startswith(("good", "pro", "posit")):
            good.append(item)
        elif _BAD.match(plain) and plain[:4].lower().startswith(("bad", "con", "neg")):
            bad.append(item)
        elif side is not None:
            side.append(item)
    return tuple(good), tuple(bad)


def complete_fields(fields: DecisionFields) -> DecisionFields:
    """A decision about to be written, with each field its template shows twice made to agree: the
    state from the status (or the status from a state given alone), the options from the alternatives
    (or the alternatives listed from options given alone), good and bad from the consequences (or the
    consequences written from them), and the decisions it is superseded by from the status."""
    status = fields.status or (fields.state.capitalize() if fields.state in STATES else "")
    if fields.superseded_by and not supersession([status])[1]:
        status = f"Superseded by {', '.join(fields.superseded_by)}"
    alternatives = fields.alternatives or "\n".join(f"- {option}" for option in fields.options)
    consequences = fields.consequences
    if not consequences and (fields.good or fields.bad):
        parts = [(name, items) for name, items in (("Positive", fields.good), ("Negative", fields.bad)) if items]
        consequences = "\n\n".join(f"### {name}\n\n" + "\n".join(f"- {i}" for i in items) for name, items in parts)
    good, bad = good_and_bad(consequences)
    return dataclasses.replace(
        fields,
        status=status,
        state=state_of(status),
        alternatives=alternatives,
        options=option_names(alternatives),
        consequences=consequences,
        good=good,
        bad=bad,
        superseded_by=supersession([status])[1],
    )


_MADR = re.compile(
    r"^#{1,3} (?:Context and Problem Statement|Decision Outcome|Considered Options)\s*$|^[-*] Status:|"
    r"^(?:decision-makers|deciders):",
    re.MULTILINE | re.IGNORECASE,
)
_NYGARD = re.compile(r"^# \d+\. ", re.MULTILINE)
_WHYLOG = re.compile(r"^# ADR-\d+:", re.MULTILINE)


def template_of(text: str) -> str:
    """The template a decision file is written in: `madr`, `nygard` (`# 7. Title` with a `## Status`
    section) or `whylog` (`# ADR-007: Title`, also the answer when the text shows neither)."""
    if _WHYLOG.search(text):
        return "whylog"
    if _MADR.search(text):
        return "madr"
    if _NYGARD.search(text) and re.search(r"^## Status\s*$", text, re.MULTILINE):
        return "nygard"
    return "whylog"
