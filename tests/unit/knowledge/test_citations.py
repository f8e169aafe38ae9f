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
