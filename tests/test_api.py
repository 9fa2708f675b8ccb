from __future__ import annotations

import whylog


def test_public_api_is_exact_and_sorted() -> None:
    assert whylog.__all__ == sorted(whylog.__all__)
    assert whylog.__all__ == [
        "Config",
        "ConfigError",
        "Diagnostic",
        "Document",
        "FileRef",
        "Link",
        "NotFound",
        "ParseError",
        "Record",
        "Source",
        "ValidationError",
        "WhylogError",
        "WriteError",
        "add_record",
        "document_json",
        "find_root",
        "from_json",
        "load",
        "read_config",
        "read_path",
        "read_text",
        "render",
        "render_block",
        "to_json",
    ]
    for name in whylog.__all__:
        assert getattr(whylog, name) is not None


def test_repo_knows_the_same_families_as_the_readers() -> None:
    from whylog.markdown.readers import FAMILIES
    from whylog.repo import FAMILIES as REPO_FAMILIES

    assert set(REPO_FAMILIES) == set(FAMILIES)
