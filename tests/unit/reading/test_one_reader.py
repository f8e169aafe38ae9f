"""One reader of values (issue 19, spec v1.2 section 5): wherever the normaliser asks about an expression, no
path of the chat accepts a value from it.

The chat reads a value in two places: a form's answer (`reading.answers.answer`) and the free-text extractor
of a case (`reading.extraction.extract`, whose values the forms read with `answer`). Both must refuse what the
normaliser refuses: said alone, inside a sentence of filler, or after the cue that names its field. The
expressions come from the second clinical review (every one the normaliser asks about) and from a generator
of the refusal classes of section 5 (ranges, negations, hedges, ambiguous separators, other schedules).
"""

from __future__ import annotations

import json

import pytest
from helpers import TESTS
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.normalize import NormalizationError, as_input, normalize
from reading.answers import answer
from reading.extraction import extract

ROWS = [json.loads(line) for line in (TESTS / "reviews" / "clinical_review_2.jsonl").open()]
CUE = {  # a phrase that names the field before the value, as clinicians write it
    "bcr_abl1_is": "bcr-abl {}",
    "trough_ng_ml": "imatinib trough {}",
    "dose_mg": "on imatinib {}",
    "adherence_pct": "adherence: {}",
    "ae_grade": "toxicity {}",
    "mutations": "kinase domain mutation analysis: {}",
    "months_on_tki": "on imatinib for {}",
    "mmr_months": "in MMR for {}",
    "dmr_months": "in MR4 for {}",
    "days_at_current_dose": "on this dose for {}",
    "hours_since_dose": "trough drawn {} after the dose",
}
FILLER = ("well, {}", "{} I think", "so basically {} as far as the notes go", "ok - {}")


def _asks(field: str, text: str) -> bool:
    try:
        normalize(field, text)
    except NormalizationError as exc:
        return exc.ask
    return False


def _accepted_by_the_chat(field: str, text: str):
    """A value some path of the chat would keep for ``field`` from ``text``, or None."""
    for reader_input in [text] + [f.format(text) for f in FILLER]:
        try:
            return ("answer", reader_input, answer(field, reader_input).value)
        except NormalizationError:
            pass
    message = CUE[field].format(text)
    for entity in extract(message):
        if entity["entity"] != field:
            continue
        try:
            return ("extractor", message, as_input(normalize(field, entity["value"])).value)
        except NormalizationError:
            pass
        try:
            return ("extractor+answer", message, answer(field, entity["value"]).value)
        except NormalizationError:
            pass
    return None


# the spec reads the value after a negated one ("not 5 days, only 3" → 3), so the chat may keep the corrected
# one: these are tested by test_the_value_after_a_negated_one_is_read
CORRECTED_IN_PLACE = {"N1338", "N1339", "N1331", "N1337"}
ASKED = [
    r for r in ROWS if r["kind"] == "normalize" and _asks(r["field"], r["input"]) and r["id"] not in CORRECTED_IN_PLACE
]


@pytest.mark.parametrize("case", ASKED, ids=[c["id"] for c in ASKED])
def test_what_the_normaliser_asks_about_no_chat_path_accepts(case):
    got = _accepted_by_the_chat(case["field"], case["input"])
    assert got is None, f"{case['field']} {case['input']!r}: the {got[0]} kept {got[2]!r} from {got[1]!r}"


def test_the_review_set_has_refusals_of_every_field():
    assert len(ASKED) >= 120
    assert {c["field"] for c in ASKED} >= set(CUE) - {"hours_since_dose"}


def test_the_value_after_a_negated_one_is_read():
    """Spec section 5: "not 5 days, only 3" → 3 (never the negated 5)."""
    assert answer("days_at_current_dose", "not 5 days, only 3 days").value == 3
    kept = [e["value"] for e in extract("trough drawn not 24 h, more like 30 h after the dose")]
    assert "24 h" not in kept


# --- generated: each refusal class of section 5, with numbers and words drawn at random
NUM = st.sampled_from(["0.1", "0.5", "1", "2", "3", "6", "12", "18", "24", "85", "90", "95"])
UNIT = st.sampled_from(["months", "years", "mo", "yrs", "weeks"])
REFUSALS = st.one_of(
    st.builds(
        lambda a, b, u, sep: ("mmr_months", f"{a}{sep}{b} {u}"), NUM, NUM, UNIT, st.sampled_from(["-", " to ", "–"])
    ),
    st.builds(lambda a, b, sep: ("bcr_abl1_is", f"{a}{sep}{b} %"), NUM, NUM, st.sampled_from(["-", " to "])),
    st.builds(lambda a, b: ("adherence_pct", f"{a}-{b}%"), NUM, NUM),
    st.builds(
        lambda g: ("ae_grade", g),
        st.sampled_from(["grade II/III", "grade I-II", "G III/IV", "no grade 3", "grade 3 previously", "grade 2/3"]),
    ),
    st.builds(lambda m: ("mutations", m), st.sampled_from(["no T315I", "negative for E255K", "T351I", "S315I"])),
    st.builds(
        lambda p: ("adherence_pct", p),
        st.sampled_from(
            [
                "doesn't miss many",
                "takes all the doses she remembers",
                "takes all her morning doses",
                "never misses on weekdays",
                "no missed doses that I know of",
                "takes all doses but pill count low",
                "not fully adherent",
            ]
        ),
    ),
    st.builds(
        lambda d, s: ("dose_mg", f"{d} mg {s}"),
        st.sampled_from(["300", "400", "600"]),
        st.sampled_from(["tid", "every other day", "weekly", "od bid", "three times daily"]),
    ),
    st.builds(
        lambda v, u: ("trough_ng_ml", f"{v} {u}"),
        st.sampled_from(["1.150", "2.100", "1,1500", "1.200,5"]),
        st.sampled_from(["ng/mL", "nmol/L"]),
    ),
    st.builds(lambda a: ("bcr_abl1_is", a), st.sampled_from(["undetectable", "0 %", "PCR negative", "0.0008 ratio"])),
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(REFUSALS)
def test_generated_refusals_are_asked_in_every_reader(case):
    field, text = case
    assert _asks(field, text), f"the normaliser reads {text!r}"
    got = _accepted_by_the_chat(field, text)
    assert got is None, f"{field} {text!r}: the {got[0]} kept {got[2]!r} from {got[1]!r}"
