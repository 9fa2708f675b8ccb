"""A decision folder's naming scheme, the slug rule and the index line (markdown.decision_folder)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import WORDS
from whylog.markdown.decision_folder import Listed, Naming, file_name, file_slug, index_line, listed, naming_of
from whylog.markdown.decisions import id_of_file, number_of_file


def test_naming_of_reads_the_scheme_off_the_names() -> None:
    assert naming_of(["0001-a.md", "0012-b.md"]) == Naming("number", "", 4)
    assert naming_of(["ADR-001-a.md", "ADR-012-b.md"]) == Naming("number", "ADR-", 3)
    assert naming_of(["adr_7_x.md"]) == Naming("number", "adr_", 1, "_")
    assert naming_of(["0001-a.md", "20260526-b.md"]) == Naming("date")
    assert naming_of(["0001-a.md", "0002-c.md", "20260526-b.md"]).scheme == "number"
    assert naming_of(["0001-a.md", "0002-c.md", "20260526-b.md"], "2026-01-02").scheme == "date"  # switched
    assert naming_of(["0001-a.md", "20260526-b.md"], "2026-06-01").scheme == "number"
    assert naming_of([]) == Naming()


def test_the_slug_keeps_whole_words_and_the_whole_title() -> None:
    title = "Use PostgreSQL for the session store of the public API"
    assert file_slug(title) == "use-postgresql-for-the-session-store-of-the-public-api"
    assert file_slug("Bilder über ein CDN ausliefern") == "bilder-uber-ein-cdn-ausliefern"
    assert file_slug("HTTP 响应插件策略") == "http-响应插件策略"
    long = "Keep " + " ".join(["sessions"] * 7) + " of the tenants"
    assert file_slug(long) == "keep-" + "-".join(["sessions"] * 7)
    assert file_slug("!!!") == "decision"


SCHEMES = st.builds(
    Naming,
    st.just("number"),
    st.sampled_from(["", "ADR-", "adr-", "dec_"]),
    st.integers(1, 5),
    st.sampled_from(["-", "_"]),
)
TITLES = st.lists(WORDS, min_size=1, max_size=14).map(" ".join)


@given(naming=SCHEMES, number=st.integers(1, 9999), title=TITLES)
def test_a_numbered_name_reads_back_as_its_number_and_scheme(naming: Naming, number: int, title: str) -> None:
    name = file_name(naming, number, "2026-01-02", title)
    assert number_of_file(name) == number and id_of_file(name) == f"ADR-{number:03d}"
    if len(str(number)) <= naming.width:
        assert naming_of([name]) == naming
    assert set(name[len(naming.prefix) : -3].split(naming.separator, 1)[1].split("-")) <= set(title.split())


@given(title=TITLES, day=st.dates().map(lambda d: d.isoformat()).filter(lambda d: d[0] != "0"))
def test_a_date_name_reads_back_as_its_day(title: str, day: str) -> None:
    name = file_name(Naming("date"), 0, day, title)
    assert (id_of_file(name) or "").startswith(f"ADR-{day.replace('-', '')}-") and naming_of([name]).scheme == "date"


def test_index_line_swaps_each_value_of_the_listed_decision() -> None:
    old = Listed("0008-sign-artifacts.md", 8, "2024-03-04", "Sign artifacts", "Accepted")
    new = Listed("0009-drop-the-cache.md", 9, "2026-07-08", "Drop the cache", "Proposed")
    line = "- [ADR-0008: Sign artifacts](0008-sign-artifacts.md) — Accepted, 2024-03-04 (see 0008-sign-artifacts)"
    assert index_line(line, old, new) == (
        "- [ADR-0009: Drop the cache](0009-drop-the-cache.md) — Proposed, 2026-07-08 (see 0009-drop-the-cache)"
    )
    assert listed("x\n" + index_line(line, old, new)) == [(1, "0009-drop-the-cache.md")]
