"""The sources registry and every citation in the knowledge base."""

import re
from pathlib import Path

from knowledge import faq, rules
from knowledge.sources import SOURCES

SEED_KEYS = [f"seed-{i}" for i in range(1, 7)]
LABELS = ["gleevec-label"]  # evidence.md, toxicity and dose modification (spec v1.2): a product label, no year given
PROJECT = ["project-spec"]  # the conversions the assistant performs, answered with their factor (issue 20)
PRIMARY = [
    "eln-2020",
    "eln-2025",
    "cross-2015",
    "nccn-2020",
    "picard-2007",
    "larson-2008",
    "guilhot-2012",
    "zhuang-2018",
    "clarke-2021",
    "optim",
    "kantarjian-2003",
    "jabbour-2009",
    "baccarani-2009",
    "branford-2009",
    "soverini-2011",
    "clark-2017",
    "clark-2019",
    "cervantes-2017",
    "michel-2019",
    "claudiani-2019",
    "marin-2010",
    "noens-2009",
    "ibrahim-2011",
]


def test_registry_holds_the_seed_and_the_evidence_brief():
    assert set(SEED_KEYS + PRIMARY + LABELS + PROJECT) == set(SOURCES)


def test_every_primary_source_has_authors_journal_year():
    for key in PRIMARY:
        s = SOURCES[key]
        assert s.authors and s.journal and s.year, key


def test_identifiers_where_the_brief_gives_them():
    assert SOURCES["eln-2020"].pmid == "32127639" and SOURCES["eln-2020"].doi == "10.1038/s41375-020-0776-2"
    assert SOURCES["cross-2015"].pmid == "25652737"
    assert SOURCES["nccn-2020"].pmid == "33022644"
    assert SOURCES["clarke-2021"].pmid == "34597977"
    assert SOURCES["marin-2010"].pmid == "20385986"
    assert SOURCES["noens-2009"].pmid == "19349618"
    assert SOURCES["seed-6"].doi == "10.4103/0971-5851.123752"


def test_eln_2025_has_its_pmid_doi_and_abstract_only_note():
    s = SOURCES["eln-2025"]
    assert s.pmid == "40646132" and s.doi == "10.1038/s41375-025-02664-w"
    assert s.authors == "Apperley JF, et al." and s.journal == "Leukemia" and s.year == 2025
    assert s.citation == "39:1797-1813"
    assert s.title == "European LeukemiaNet recommendations for the management of chronic myeloid leukemia"
    assert "abstract only" in s.note
    ref = s.reference()
    assert "doi:10.1038/s41375-025-02664-w" in ref and "PMID 40646132" in ref


def test_claudiani_is_registered_as_a_standard_dose_study_and_backs_no_seed_reduction_fact():
    note = SOURCES["claudiani-2019"].note
    assert "standard-dose" in note and "not a dose-reduction" in note
    assert "claudiani-2019" not in SOURCES["seed-3"].primary  # seed-3 is about dose reduction


def test_seed_entries_point_to_primary_sources_that_exist():
    for key in SEED_KEYS:
        assert all(p in SOURCES for p in SOURCES[key].primary), key


def test_every_inline_citation_in_the_rules_resolves():
    text = "".join(p.read_text(encoding="utf-8") for p in Path(rules.__file__).parent.glob("*.py"))
    inline = set(re.findall(r"\[([a-z]+-[0-9]{1,4}|optim)\]", text))
    quoted = set(re.findall(r'"([a-z]+-[0-9]{1,4}|optim)"', text))
    assert inline and quoted
    assert not [k for k in inline | quoted if k not in SOURCES]


def test_every_faq_statement_cites_the_registry():
    for topic in faq.TOPICS:
        for s in topic.statements:
            assert s.citations and all(k in SOURCES for k in s.citations), topic.id


def test_every_rule_has_an_explanation_with_resolving_citations():
    from knowledge.explain import RULES

    assert set(RULES) == set(rules.RULES)
    for rule_id, rule in rules.RULES.items():
        assert rule.citations and all(k in SOURCES for k in rule.citations), rule_id
        assert RULES[rule_id] == rule.explain
