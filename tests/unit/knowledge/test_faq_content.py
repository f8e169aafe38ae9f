"""Content checks for the FAQ knowledge base and its Rasa NLU data.

Run with:  .venv/bin/python -m pytest -q tests/unit/knowledge/test_faq_content.py
"""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List

import pytest
import yaml
from helpers import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from knowledge import thresholds  # noqa: E402
from knowledge.faq import TOPICS, Statement, Topic, get_topic, topic_ids  # noqa: E402
from knowledge.render import render_topic  # noqa: E402
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
    assert str(data.get("version")) == "3.1", f'{path}: version must be "3.1"'
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
    with pytest.raises(dataclasses.FrozenInstanceError):
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
                f"{topic.id}: statement on 1000 ng/mL must cite one of {sorted(TROUGH_1000_SOURCES)}: {st.text!r}"
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
    assert "time limit" in joined  # the transport question is answered: no checked source sets one


def test_required_sources_are_used():
    cited = {k for _, st in _all_statements() for k in st.citations}
    required = {
        "clark-2017",
        "clark-2019",
        "cervantes-2017",
        "michel-2019",
        "claudiani-2019",
        "kantarjian-2003",
        "jabbour-2009",
        "baccarani-2009",
        "picard-2007",
        "guilhot-2012",
        "larson-2008",
        "clarke-2021",
        "optim",
        "zhuang-2018",
        "eln-2020",
        "nccn-2020",
        "cross-2015",
        "marin-2010",
        "noens-2009",
        "ibrahim-2011",
        "branford-2009",
        "soverini-2011",
        "seed-1",
        "seed-2",
        "seed-3",
        "seed-4",
        "seed-5",
        "seed-6",
        "eln-2025",
    }
    assert not required - cited, f"never cited: {sorted(required - cited)}"


def test_zhuang_statements_mention_gist():
    for topic, st in _all_statements():
        if "zhuang-2018" in st.citations:
            assert "GIST" in st.text, f"{topic.id}: the zhuang-2018 cohort was GIST; say so"


# ----------------------------------------------------------------------------- citation fixes of evidence.md

REDUCTION_WORDS = re.compile(r"reduc|de-escalat|lower(?:ed)? dose|dose (?:is )?lowered|half dose|halv", re.I)
STANDARD_DOSE = re.compile(r"standard[- ]dose", re.I)


def test_claudiani_is_never_evidence_on_de_escalation():
    """claudiani-2019 followed patients who stayed on standard-dose TKI: a statement citing it may
    speak of reduction only to say that the study was on standard dose."""
    cited = 0
    for topic, st in _all_statements():
        if "claudiani-2019" in st.citations:
            cited += 1
            if REDUCTION_WORDS.search(st.text):
                assert STANDARD_DOSE.search(st.text), (
                    f"{topic.id}: claudiani-2019 is not a de-escalation study; say standard dose: {st.text!r}"
                )
    assert cited


TRANSPORT_48H = re.compile(r"\b48\s*-?\s*(?:h\b|hours?\b|hrs?\b)|forty-eight hours", re.I)


def test_no_48_hour_transport_limit_on_seed_4():
    """No source states a 48 h transport limit: never cite seed-4 for it, flag it if it is stated."""
    for topic, st in _all_statements():
        if TRANSPORT_48H.search(st.text):
            assert "seed-4" not in st.citations, f"{topic.id}: seed-4 does not state a 48 h limit"
            assert st.unverified, f"{topic.id}: a 48 h transport limit is unverified"
    sample = get_topic("blood_sample_volume")
    assert not any(TRANSPORT_48H.search(k) for k in sample.keywords), "keywords promise a 48 h limit"


FOUR_MONTHS = re.compile(r"\b(?:4|four) months\b", re.I)


def test_regaining_mmr_facts_keep_their_own_sources():
    """'All recurrences regained MMR within 4 months' is DESTINY's (clark-2017); 'most patients
    regain MMR' is seed-1's. Neither statement carries the other's source."""
    four, most = 0, 0
    for topic, st in _all_statements():
        if FOUR_MONTHS.search(st.text) and "MMR" in st.text:
            four += 1
            assert "clark-2017" in st.citations and "seed-1" not in st.citations, (
                f"{topic.id}: the 4-month regain is DESTINY's alone: {st.citations}"
            )
        if re.search(r"\bmost patients\b", st.text, re.I):
            most += 1
            assert "seed-1" in st.citations and "clark-2017" not in st.citations, (
                f"{topic.id}: 'most patients regain MMR' is seed-1's alone: {st.citations}"
            )
    assert four >= 3 and most >= 2


def test_eln_2025_is_named_where_milestone_failure_leads_to_action():
    for topic_id in ("eln_milestones", "suboptimal_response_workup", "escalation_candidates"):
        topic = get_topic(topic_id)
        hits = [s for s in topic.statements if "eln-2025" in s.citations]
        assert hits, f"{topic_id}: no statement cites eln-2025"
        for s in hits:
            assert "2025" in s.text and "ELN 2020" in s.text and "individual patient" in s.text, topic_id
    for topic, st in _all_statements():
        if "eln-2025" in st.citations:
            assert "2025" in st.text, f"{topic.id}: a statement citing eln-2025 must name the 2025 update"
    milestones = " ".join(s.text for s in get_topic("eln_milestones").statements)
    assert "not been checked" in milestones  # the numbers shown are ELN 2020's


# ----------------------------------------------------------------------------- thresholds in the FAQ

FAQ_SOURCE = ROOT / "knowledge" / "topics.py"  # the FAQ content
# a threshold of the rule set written as a literal in a statement text or a title
LITERAL_THRESHOLDS = [
    r"\b1,?000\s*ng/mL",
    r"(?<![\d.])0\.1\s*%",
    r"(?<![\d.])0\.01\s*%",
    r"(?<![\d.])0\.0032\s*%",
    r"(?<![\d.])0\.001\s*%",
    r"(?<![\d.])90\s*%",
    r"5–7 days",
    r"4–6 weeks",
    r"6–12 months",
    r"(?<![\d.])10\s*mL",
    r"\d+\s*±\s*\d+\s*h\b",
    r"(?<![\d.])21–27 h",
    r"(?<![\d.])9–15 h",
    r"1–2 years",
    r"at least 3 years",
    r"at least 12 months",
    r"more than 5 years",
    r"more than 2 years",
    r"at least 2 years",
    r"optimal ≤ \d",
    r"warning > \d",
    r"failure > \d",
]


def _literal_texts():
    """(line, literal parts) of every statement text (first argument of _s) and every topic title."""
    tree = ast.parse(FAQ_SOURCE.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        targets = []
        if getattr(node.func, "id", None) == "_s" and node.args:
            targets.append(node.args[0])
        if getattr(node.func, "id", None) == "Topic":
            targets += [k.value for k in node.keywords if k.arg in ("title", "question")]
        for t in targets:
            parts = [n.value for n in ast.walk(t) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            yield node.lineno, "\x00".join(parts)


def test_no_threshold_is_written_as_a_literal_in_the_faq():
    found = list(_literal_texts())
    assert len(found) > 100
    bad = [(line, pat) for line, text in found for pat in LITERAL_THRESHOLDS if re.search(pat, text)]
    assert not bad, f"topics.py states thresholds as literals (line, pattern): {bad}"


def test_rendered_faq_states_the_thresholds_of_knowledge_thresholds():
    text = "\n".join(render_topic(t) for t in TOPICS)
    assert text.count(thresholds.TROUGH_TARGET) >= 8
    assert thresholds.MONITOR_AFTER_REDUCTION in text and thresholds.STEADY_STATE_DAYS_USUAL in text
    assert get_topic("trough_threshold").title.endswith(thresholds.TROUGH_TARGET)


_CHANGED_THRESHOLDS = r"""
import dataclasses, json, sys
import knowledge.thresholds as th
th.TROUGH_TARGET_NG_ML = 1234.0
th.TROUGH_TARGET = th.ng(th.TROUGH_TARGET_NG_ML)
th.MMR_PCT, th.MR4_PCT, th.MR45_PCT, th.MR5_PCT = 0.2, 0.02, 0.0064, 0.002
th.MILESTONES = (dataclasses.replace(th.MILESTONES[0], from_months=4.0, optimal_max=11.0),
                 dataclasses.replace(th.MILESTONES[1], from_months=7.0, optimal_max=2.0, warning_max=12.0),
                 dataclasses.replace(th.MILESTONES[2], from_months=13.0, optimal_max=0.2, warning_max=1.5))
th.CONFIRM_WITHIN = "2–4 months"
th.ADHERENCE_CONFIRMED_ABOVE_PCT = 93.0
th.STEADY_STATE_DAYS_USUAL = "6–8 days"
th.TROUGH_WINDOWS_H = {"once_daily": (22.0, 26.0), "twice_daily": (10.0, 14.0)}
th.STANDARD_DOSE_MG, th.ESCALATION_STEPS_MG = 450, (450, 650, 850)
th.RED_MIN_MMR_MONTHS, th.RED_MIN_THERAPY_MONTHS, th.RED_BETTER_MMR = 18.0, 30.0, "2–3 years"
th.MONITOR_AFTER_REDUCTION = "every 2–3 weeks for the first 9 months"
th.MIN_BLOOD_ML = 12
th.TFR_THERAPY_MORE_THAN_MONTHS, th.TFR_DMR_MORE_THAN_MONTHS = 72.0, 30.0
th.NCCN_TFR_THERAPY_MONTHS, th.NCCN_TFR_DMR_MONTHS = 42.0, 27.0
from knowledge import faq
from knowledge.render import render_topic
json.dump({t.id: render_topic(t) for t in faq.TOPICS}, sys.stdout, ensure_ascii=False)
"""


def test_changing_a_threshold_changes_the_faq_text():
    """Patch the constants before knowledge.faq is imported (in a fresh interpreter): the FAQ follows."""
    run = subprocess.run(
        [sys.executable, "-c", _CHANGED_THRESHOLDS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    topics = json.loads(run.stdout)
    assert set(topics) == set(topic_ids())
    text = "\n".join(topics.values())
    for old in ("1000 ng/mL", "5–7 days", "4–6 weeks", "24 ± 3 h", "12 ± 3 h", "10 mL", "1–2 years", "1–3 months"):
        assert old not in text, f"{old!r} is still written literally"
    for old in (r"(?<![\d.])0\.1%", r"(?<![\d.])0\.01%", r"0\.0032%", r"(?<![\d.])0\.001%", r"(?<![\d.])90%"):
        assert not re.search(old, text), f"{old!r} is still written literally"
    assert "**Trough target of 1234 ng/mL**" in topics["trough_threshold"]
    assert "> 1234 ng/mL" in topics["tdm_overview"] and "< 1234 ng/mL" in topics["tdm_indications"]
    assert "IS ≤ 0.2%" in topics["mmr_definition"] and "from 13 months onwards" in topics["mmr_definition"]
    assert "MR4.5 (≤ 0.0064%)" in topics["international_scale"]
    eln = topics["eln_milestones"]
    for part in (
        "**4 months**: optimal ≤ 11%",
        "within 2–4 months",
        "**7 months**: optimal ≤ 2%",
        "warning > 2–12%",
        "failure > 12%",
        "**13 months and later**: optimal ≤ 0.2%",
        "warning > 0.2–1.5%",
        "failure > 1.5%",
    ):
        assert part in eln, part
    assert "adherence ≤ 93%" in topics["adherence"] and "above 93%" in topics["suboptimal_response_workup"]
    assert "6–8 days" in topics["steady_state"] and "6–8 days" in topics["trough_sampling"]
    assert "24 ± 2 h once daily, 12 ± 2 h twice daily" in topics["trough_sampling"]
    assert "From the standard 450 mg, escalation is usually to 650 mg or 850 mg" in topics["escalation_goals"]
    assert "650 mg or 850 mg daily" in topics["suboptimal_response_workup"]
    assert "at least 2.5 years of TKI therapy with at least 18 months" in topics["reduction_candidates"]
    assert "≥ 2.5 years of TKI, ≥ 18 months" in topics["reduction_safety"]
    assert "2–3 years" in topics["reduction_candidates"] and "2–3 years" in topics["reduction_safety"]
    assert "every 2–3 weeks for the first 9 months" in topics["monitoring_after_reduction"]
    assert "every 2–3 weeks for the first 9 months" in topics["reduction_safety"]
    assert "at least 12 mL" in topics["blood_sample_volume"]
    tfr = topics["treatment_free_remission"]
    assert "more than 6 years of therapy" in tfr and "more than 2.5 years" in tfr
    assert "at least 3.5 years of TKI therapy" in tfr and "at least 2.25 years" in tfr
    assert "more than 2.5 years under ELN 2020 and at least 2.25 years" in topics["mr4_definition"]


BRIEF = ("seed-imatinib-dose-optimization.md", "evidence.md")
REFERENCE = ROOT / "tests" / "reference"  # copies of the brief, for clones without ../shared


def test_the_copies_of_the_brief_are_current():
    for name in BRIEF + ("decision-spec.md",):
        assert (REFERENCE / name).exists()
        if (SHARED / name).exists():
            assert (REFERENCE / name).read_text(encoding="utf-8") == (SHARED / name).read_text(encoding="utf-8"), (
                f"tests/reference/{name} differs from ../shared/{name}: copy it again"
            )


def test_no_long_verbatim_runs_from_seed_or_evidence():
    """Our own words: no run of 8 consecutive words copied from the seed or evidence brief."""

    def words(text: str) -> List[str]:
        return re.findall(r"[a-z0-9.%]+", text.lower())

    ref = ""
    for name in BRIEF:
        ref += (REFERENCE / name).read_text(encoding="utf-8") + "\n"
    rw = words(ref)
    n = 8
    grams = {tuple(rw[i : i + n]) for i in range(len(rw) - n + 1)}
    for topic, st in _all_statements():
        w = words(st.text)
        copied = [" ".join(w[i : i + n]) for i in range(len(w) - n + 1) if tuple(w[i : i + n]) in grams]
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
