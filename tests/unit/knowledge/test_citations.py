"""One numbering of citations for a text and its reference list, whatever the channel."""

from knowledge.citations import Numbering, link_text, links, numbers_in
from knowledge.sources import SOURCES


def test_keys_are_numbered_in_first_cited_order_without_duplicates():
    numbering = Numbering()
    text = numbering.number("Reduce [clark-2017], monitor [seed-1], as before [clark-2017].")
    assert text == "Reduce [1], monitor [2], as before [1]."
    assert numbering.keys == ["clark-2017", "seed-1"]
    lines = numbering.lines()
    assert lines[0] == f"1. {SOURCES['clark-2017'].reference()}" and lines[1].startswith("2. ")


def test_an_unknown_bracket_is_left_as_written_and_never_numbered():
    numbering = Numbering()
    assert numbering.number("grade [3] and [not-a-source]") == "grade [3] and [not-a-source]"
    assert numbering.keys == []


def test_a_numbering_continues_a_cards_numbers():
    numbering = Numbering(["seed-1", "clark-2017"])  # the card's order
    assert numbering.number("[clark-2017] then [eln-2020]") == "[2] then [3]"
    assert numbering.lines(used=numbers_in(["[2] then [3]"]))[0].startswith("2. ")


def test_references_carry_number_key_text_and_link():
    numbering = Numbering()
    numbering.number("[clark-2017]")
    numbering.cite(["seed-1", "clark-2017"])
    refs = numbering.references()
    assert [r["n"] for r in refs] == [1, 2] and [r["key"] for r in refs] == ["clark-2017", "seed-1"]
    assert refs[0]["url"] == SOURCES["clark-2017"].url


def test_links_are_pubmed_and_doi_where_they_exist():
    with_pmid = next(k for k, s in SOURCES.items() if s.pmid)
    assert links(with_pmid)[0] == ("PubMed", f"https://pubmed.ncbi.nlm.nih.gov/{SOURCES[with_pmid].pmid}/")
    assert "[PubMed](" in link_text(with_pmid)
    bare = next((k for k, s in SOURCES.items() if not s.pmid and not s.doi), None)
    if bare is not None:
        assert links(bare) == [] and link_text(bare) == ""


def test_a_secondary_source_comes_after_the_primary_cited_beside_it():
    """Issue 23: in "[seed-5] [picard-2007]" the trial is the evidence and the summary's title-only
    reference is secondary: numbered after it, whatever order the sentence wrote them in."""
    numbering = Numbering()
    assert numbering.number("Trough above 1000 ng/mL [seed-5] [picard-2007].") == "Trough above 1000 ng/mL [1] [2]."
    assert numbering.keys == ["picard-2007", "seed-5"]
    assert Numbering().number("[seed-1][clark-2017] and [clark-2017]") == "[1][2] and [1]"
    both = Numbering()
    both.cite(["seed-3", "clark-2017"])  # a recommendation's own list, in the same order
    assert both.keys == ["clark-2017", "seed-3"]
    kept = Numbering()
    assert kept.number("[seed-6] [clarke-2021]") == "[1] [2]"  # a review with authors, PMID and DOI is not secondary
    assert kept.keys == ["seed-6", "clarke-2021"]


def test_a_secondary_source_is_named_as_one_with_the_primary_evidence_found():
    for key, src in SOURCES.items():
        line = src.reference()
        assert line.startswith("Secondary source: ") == src.secondary, key
        if src.secondary:
            assert src.title in line and "Smolecule summary" in line, key
            for primary in src.primary:
                assert SOURCES[primary].label() in line.split("Where primary evidence was found: ")[1], key
    assert {k for k, s in SOURCES.items() if s.secondary} == {f"seed-{i}" for i in range(1, 6)}
