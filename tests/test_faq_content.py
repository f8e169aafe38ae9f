"""Content checks for the FAQ knowledge base and its Rasa NLU data.

Run with:  cd /work/main && python3 -m pytest -q tests/test_faq_content.py
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from knowledge.faq import TOPICS, Statement, Topic, get_topic, topic_ids  # noqa: E402
from knowledge.sources import SOURCES  # noqa: E402

NLU_TRAIN = ROOT / "bot" / "data" / "nlu" / "faq.yml"
NLU_TEST = ROOT / "tests" / "nlu" / "faq_test.yml"
SHARED = ROOT.parent / "shared"

SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
TROUGH_1000 = re.compile(r"1,?000\s*ng/ml", re.IGNORECASE)
TROUGH_1000_SOURCES = {"seed-5", "seed-6", "picard-2007", "clarke-2021"}


def _all_statements():
    for topic in TOPICS:
        for st in topic.statements:
            yield topic, st


def _load_nlu(path: Path) -> Dict[str, List[str]]:
    """intent -> list of examples, failing on duplicated intent blocks."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert str(data.get("version")) == "3.1", f"{path}: version must be \"3.1\""
    out: Dict[str, List[str]] = {}
    for block in data["nlu"]:
        intent = block["intent"]
        assert intent not in out, f"{path}: intent {intent} appears twice"
        examples = []
        for line in block["examples"].splitlines():
            line = line.strip()
            if not line:
                continue
            assert line.startswith("- "), f"{path}: bad example line {line!r}"
            examples.append(line[2:].strip())
        out[intent] = examples
    return out


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.fixture(scope="module")
def train() -> Dict[str, List[str]]:
    return _load_nlu(NLU_TRAIN)


@pytest.fixture(scope="module")
def held_out() -> Dict[str, List[str]]:
    return _load_nlu(NLU_TEST)


# ----------------------------------------------------------------------------- topics


def test_at_least_28_topics():
    assert len(TOPICS) >= 28


def test_ids_unique_and_snake_case():
    ids = [t.id for t in TOPICS]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"duplicate topic ids: {dupes}"
    bad = [i for i in ids if not SNAKE.match(i) or not i.isascii()]
    assert not bad, f"topic ids not snake_case ascii: {bad}"


def test_topic_ids_and_get_topic():
    assert topic_ids() == tuple(t.id for t in TOPICS)
    for t in TOPICS:
        assert get_topic(t.id) is t
    with pytest.raises(KeyError) as exc:
        get_topic("no_such_topic")
    assert "no_such_topic" in str(exc.value) and TOPICS[0].id in str(exc.value)


def test_types_and_immutability():
    for topic, st in _all_statements():
        assert isinstance(topic, Topic) and isinstance(st, Statement)
        assert isinstance(topic.statements, tuple) and isinstance(st.citations, tuple)
        assert isinstance(topic.keywords, tuple) and topic.keywords
        assert isinstance(st.unverified, bool)
    with pytest.raises(Exception):
        TOPICS[0].title = "changed"  # frozen dataclass


def test_titles_short_unique_and_questions_present():
    for t in TOPICS:
        assert t.title.strip() and len(t.title) <= 40, f"{t.id}: title {t.title!r} too long"
        assert t.question.strip().endswith("?"), f"{t.id}: question should end with '?'"
    titles = [t.title for t in TOPICS]
    assert len(set(titles)) == len(titles), "button titles must be unique"


def test_two_to_six_statements():
    for t in TOPICS:
        assert 2 <= len(t.statements) <= 6, f"{t.id}: {len(t.statements)} statements"
        for st in t.statements:
            assert st.text.strip(), f"{t.id}: empty statement"


def test_every_statement_cited_with_known_keys():
    for topic, st in _all_statements():
        assert len(st.citations) >= 1, f"{topic.id}: uncited statement {st.text!r}"
        unknown = [k for k in st.citations if k not in SOURCES]
        assert not unknown, f"{topic.id}: unknown source keys {unknown}"
        assert len(set(st.citations)) == len(st.citations), f"{topic.id}: repeated citation"


def test_trough_threshold_statements_cite_threshold_sources():
    found = 0
    for topic, st in _all_statements():
        if TROUGH_1000.search(st.text):
            found += 1
            assert TROUGH_1000_SOURCES & set(st.citations), (
                f"{topic.id}: statement on 1000 ng/mL must cite one of {sorted(TROUGH_1000_SOURCES)}: "
                f"{st.text!r}"
            )
    assert found >= 3


def test_unverified_facts_are_flagged():
    """Facts evidence.md marks *(unverified)* (T315I -> ponatinib/asciminib, the 24 +/- 3 h
    window) must carry unverified=True."""
    flagged = 0
    for topic, st in _all_statements():
        text = st.text.lower()
        if "t315i" in text and ("ponatinib" in text or "asciminib" in text):
            assert st.unverified, f"{topic.id}: T315I treatment choice is unverified"
            flagged += 1
        if re.search(r"24\s*±\s*3", st.text):
            assert st.unverified, f"{topic.id}: the 24 ± 3 h window is unverified"
            flagged += 1
    assert flagged >= 2


def test_ddpcr_prediction_attributed_to_seed():
    for topic, st in _all_statements():
        text = st.text.lower()
        if "ddpcr" in text and "mr4.5" in text and ("risk" in text or "likely" in text):
            assert "seed-3" in st.citations, f"{topic.id}: ddPCR MR4.5 claim must cite seed-3"
    pred = get_topic("ddpcr_predictive")
    assert any("no primary paper" in s.text.lower() for s in pred.statements)


def test_blood_volume_caveat_present():
    topic = get_topic("blood_sample_volume")
    joined = " ".join(s.text for s in topic.statements)
    assert "10 mL" in joined and "not independently verified" in joined
    assert "48 hours" in joined


def test_required_sources_are_used():
    cited = {k for _, st in _all_statements() for k in st.citations}
    required = {
        "clark-2017", "clark-2019", "cervantes-2017", "michel-2019", "claudiani-2019",
        "kantarjian-2003", "jabbour-2009", "baccarani-2009", "picard-2007", "guilhot-2012",
        "larson-2008", "clarke-2021", "optim", "zhuang-2018", "eln-2020", "nccn-2020",
        "cross-2015", "marin-2010", "noens-2009", "ibrahim-2011", "branford-2009", "soverini-2011",
        "seed-1", "seed-2", "seed-3", "seed-4", "seed-5", "seed-6",
    }
    assert not required - cited, f"never cited: {sorted(required - cited)}"


def test_zhuang_statements_mention_gist():
    for topic, st in _all_statements():
        if "zhuang-2018" in st.citations:
            assert "GIST" in st.text, f"{topic.id}: the zhuang-2018 cohort was GIST; say so"


BRIEF = ("seed-imatinib-dose-optimization.md", "evidence.md")
REFERENCE = ROOT / "tests" / "reference"  # copies of the brief, for clones without ../shared


def test_the_copies_of_the_brief_are_current():
    for name in BRIEF:
        assert (REFERENCE / name).exists()
        if (SHARED / name).exists():
            assert (REFERENCE / name).read_text(encoding="utf-8") == (SHARED / name).read_text(encoding="utf-8"), \
                f"tests/reference/{name} differs from ../shared/{name}: copy it again"


def test_no_long_verbatim_runs_from_seed_or_evidence():
    """Our own words: no run of 8 consecutive words copied from the seed or evidence brief."""
    def words(text: str) -> List[str]:
        return re.findall(r"[a-z0-9.%]+", text.lower())

    ref = ""
    for name in BRIEF:
        ref += (REFERENCE / name).read_text(encoding="utf-8") + "\n"
    rw = words(ref)
    n = 8
    grams = {tuple(rw[i:i + n]) for i in range(len(rw) - n + 1)}
    for topic, st in _all_statements():
        w = words(st.text)
        copied = [" ".join(w[i:i + n]) for i in range(len(w) - n + 1) if tuple(w[i:i + n]) in grams]
        assert not copied, f"{topic.id}: wording copied from reference text: {copied}"


# ----------------------------------------------------------------------------- NLU data


def test_training_file_covers_every_topic_with_12_examples(train):
    faq_intents = {i for i in train if i.startswith("faq/")}
    expected = {f"faq/{t}" for t in topic_ids()}
    assert faq_intents == expected, (
        f"missing: {sorted(expected - faq_intents)}; unknown: {sorted(faq_intents - expected)}"
    )
    assert set(train) == expected, "the FAQ NLU file should hold only faq/<id> intents"
    for intent, examples in train.items():
        assert len(examples) >= 12, f"{intent}: only {len(examples)} examples"
        assert len({_norm(e) for e in examples}) == len(examples), f"{intent}: duplicate examples"


def test_training_examples_not_shared_between_topics(train):
    owner: Dict[str, str] = {}
    for intent, examples in train.items():
        for e in examples:
            key = _norm(e)
            assert key not in owner or owner[key] == intent, (
                f"example {e!r} appears under {owner.get(key)} and {intent}"
            )
            owner[key] = intent


def test_examples_have_no_entity_markup(train, held_out):
    for data in (train, held_out):
        for intent, examples in data.items():
            for e in examples:
                assert "[" not in e and "]" not in e, f"{intent}: {e!r} looks like entity markup"


def test_held_out_covers_every_topic(held_out):
    expected = {f"faq/{t}" for t in topic_ids()}
    assert set(held_out) == expected, (
        f"missing: {sorted(expected - set(held_out))}; unknown: {sorted(set(held_out) - expected)}"
    )
    for intent, examples in held_out.items():
        assert len(examples) >= 3, f"{intent}: only {len(examples)} held-out examples"


def test_held_out_shares_nothing_with_training(train, held_out):
    seen = {_norm(e) for examples in train.values() for e in examples}
    leaked = [e for examples in held_out.values() for e in examples if _norm(e) in seen]
    assert not leaked, f"held-out examples also in training data: {leaked}"
