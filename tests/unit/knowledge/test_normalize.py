"""Spec section 5: every accepted form, and a clear rejection for everything else."""

import math

import pytest

from knowledge.normalize import NormalizationError, normalize


def value(field, text):
    return normalize(field, text).value


@pytest.mark.parametrize(
    "text,expected",
    [
        ("0.008%", 0.008),
        ("0.008 %", 0.008),
        ("8e-3%", 0.008),
        ("0,008 %", 0.008),
        ("0.008", 0.008),
        ("BCR-ABL1 0.05 % IS", 0.05),
        ("bcr-abl 1.5%", 1.5),
        ("10 %", 10.0),
        ("MMR", 0.1),
        ("MR3", 0.1),
        ("MR4", 0.01),
        ("MR4.5", 0.0032),
        ("mr 4.5", 0.0032),
        ("MR5", 0.001),
        ("<0.0032%", 0.0032),
    ],
)
def test_bcr_abl_forms(text, expected):
    assert value("bcr_abl1_is", text) == pytest.approx(expected)


def test_bcr_plain_number_states_percent_assumption():
    n = normalize("bcr_abl1_is", "0.008")
    assert any("percentage" in a for a in n.assumptions)
    assert normalize("bcr_abl1_is", "0.008 %").assumptions == []


@pytest.mark.parametrize("text,logs", [("3.5 log", 3.5), ("4 log reduction", 4), ("3-log", 3), ("4.5 logs", 4.5)])
def test_log_reduction(text, logs):
    assert value("bcr_abl1_is", text) == pytest.approx(10 ** (2 - logs))


@pytest.mark.parametrize(
    "text",
    [
        "0.00008 ratio",
        "ratio 0.0008",
        "undetectable",
        "abc",
        "",
        "   ",
        "-1 %",
        "1001 %",
        "0.1 and 0.2",
        "5 mg",
        "x" * 500,
        "NaN %",
        "inf %",
    ],
)
def test_bcr_rejections_name_the_expected_form(text):
    with pytest.raises(NormalizationError) as e:
        normalize("bcr_abl1_is", text)
    assert e.value.field == "bcr_abl1_is"
    assert e.value.message


def test_ratio_asks_for_percent():
    with pytest.raises(NormalizationError, match="percentage"):
        normalize("bcr_abl1_is", "0.00008 ratio")


def test_above_100_accepted_with_warning():
    n = normalize("bcr_abl1_is", "150 %")
    assert n.value == 150 and any("above 100" in a for a in n.assumptions)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1150 ng/mL", 1150),
        ("1150 ng/ml", 1150),
        ("1150 µg/L", 1150),
        ("1150 ug/l", 1150),
        ("1.15 mg/L", 1150),
        ("2.1 µmol/L", 2.1 * 493.6),
        ("2.1 μmol/L", 2.1 * 493.6),
        ("2.1 uM", 2.1 * 493.6),
        ("2100 nmol/L", 2100 * 0.4936),
        ("2100 nM", 2100 * 0.4936),
        ("1,150 ng/mL", 1150),
        ("trough 980 ng/mL", 980),
    ],
)
def test_trough_forms(text, expected):
    assert value("trough_ng_ml", text) == pytest.approx(expected, abs=0.01)


def test_trough_comma_before_three_digits_is_thousands_but_not_otherwise():
    assert value("trough_ng_ml", "1,150 ng/mL") == 1150
    assert value("trough_ng_ml", "1,150.5 ng/mL") == 1150.5
    # spec section 5: in ng/mL a comma followed by other than exactly three digits is refused, never guessed
    for text in ("1,1500 ng/mL", "1,15 ng/mL", "2.100 nmol/L", "1.150 ng/mL"):
        with pytest.raises(NormalizationError, match="ambiguous"):
            normalize("trough_ng_ml", text)
    # spec v1.2 (was: refused): in µmol/L or mg/L a comma is a decimal comma
    assert value("trough_ng_ml", "2,1 µmol/L") == pytest.approx(1036.56)
    assert value("trough_ng_ml", "1,15 mg/L") == 1150


@pytest.mark.parametrize("text", ["980", "1,150", "1800"])
def test_a_trough_without_a_unit_is_asked_about_unless_the_question_named_it(text):
    """Spec v1.2 (was: read as ng/mL at 100 or more): labs report ng/mL or nmol/L."""
    with pytest.raises(NormalizationError, match="unit") as exc:
        normalize("trough_ng_ml", text)
    assert exc.value.ask
    assert normalize("trough_ng_ml", text, unit_named=True).value == float(text.replace(",", ""))


@pytest.mark.parametrize("text", ["2.1", "1000 mg", "12 mmol/L", "-5 ng/mL", "30000 ng/mL", "high", "1 2 ng/mL"])
def test_trough_rejections(text):
    with pytest.raises(NormalizationError):
        normalize("trough_ng_ml", text)


@pytest.mark.parametrize(
    "field,text,expected",
    [
        ("months_on_tki", "18 months", 18),
        ("months_on_tki", "1.5 years", 18),
        ("months_on_tki", "a year and a half", 18),
        ("months_on_tki", "5 years", 60),
        ("months_on_tki", "3 years", 36),
        ("months_on_tki", "2 years and 3 months", 27),
        ("months_on_tki", "two and a half years", 30),
        ("months_on_tki", "6 weeks", 42 / 30.44),
        ("months_on_tki", "61 days", 61 / 30.44),
        ("mmr_months", "30 months", 30),
        ("mmr_months", "12 mo", 12),
        ("dmr_months", "2 yrs", 24),
        ("days_at_current_dose", "1 week", 7),
        ("days_at_current_dose", "5 days", 5),
        ("days_at_current_dose", "2 months", 60.88),
        ("hours_since_dose", "24 h", 24),
        ("hours_since_dose", "23 hrs", 23),
        ("hours_since_dose", "1 day", 24),
        # clinic notation: 9/12 = 9 months, 3/52 = 3 weeks, 5/7 = 5 days
        ("months_on_tki", "9/12", 9),
        ("mmr_months", "18/12", 18),
        ("days_at_current_dose", "3/52", 21),
        ("days_at_current_dose", "5/7", 5),
        ("months_on_tki", "6-month", 6),
        ("days_at_current_dose", "a fortnight", 14),
    ],
)
def test_durations(field, text, expected):
    assert value(field, text) == pytest.approx(expected, abs=1e-3)


def test_a_duration_without_a_unit_is_asked_about_unless_the_question_named_it():
    """Spec v1.2 (was: read in the field's unit, stated): '5' for a time on imatinib may be months or years."""
    with pytest.raises(NormalizationError, match="unit") as exc:
        normalize("months_on_tki", "18")
    assert exc.value.ask
    assert normalize("months_on_tki", "18", unit_named=True).value == 18


@pytest.mark.parametrize(
    "text", ["forever", "-3 months", "1000 years", "5 parsecs", "years", "", "40/12", "1/2", "12/05", "3/4", "0/12"]
)
def test_duration_rejections(text):
    with pytest.raises(NormalizationError):
        normalize("months_on_tki", text)


@pytest.mark.parametrize(
    "text,expected,dosing",
    [
        ("400 mg", 400, None),
        ("400mg daily", 400, None),  # v1.2: "daily" alone is per day, not a schedule
        ("400 mg bid", 800, "twice_daily"),
        ("400 mg twice daily", 800, "twice_daily"),
        ("2 x 400 mg", 800, "twice_daily"),
        ("600 mg od", 600, "once_daily"),
        ("300", 300, None),
        ("imatinib 400 mg once daily", 400, "once_daily"),
    ],
)
def test_dose_forms(text, expected, dosing):
    n = normalize("dose_mg", text)
    assert n.value == expected
    assert n.related.get("dosing") == dosing


@pytest.mark.parametrize("text", ["900 mg", "50 mg", "500 mg bid", "lots", "0 mg", "400.5 mg"])
def test_dose_rejections(text):
    with pytest.raises(NormalizationError):
        normalize("dose_mg", text)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("95%", 95),
        ("95 %", 95),
        ("95", 95),
        ("misses 2 doses a week", 71.4),
        ("takes all doses", 100),
        ("never misses", 100),
        ("misses 1 dose a week", 85.7),
        ("takes 9 of 10 doses", 90),
        ("misses 3 doses a month", 90.0),  # v1.2: a 30-day month (was 30.44: 90.1, confirmed)
        ("misses 1 dose/wk", 85.7),
        ("misses 2 doses per wk", 71.4),
        ("skips a dose weekly", 85.7),
        ("misses roughly 3 doses a week", 57.1),
    ],
)
def test_adherence_forms(text, expected):
    assert value("adherence_pct", text) == pytest.approx(expected, abs=0.05)


@pytest.mark.parametrize("text", ["0.95", "150%", "-5%", "often", "misses 9 doses a week"])
def test_adherence_rejections(text):
    with pytest.raises(NormalizationError):
        normalize("adherence_pct", text)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("T315I", ["T315I"]),
        ("t315i", ["T315I"]),
        ("p.T315I", ["T315I"]),
        ("Thr315Ile", ["T315I"]),
        ("p.Phe317Leu", ["F317L"]),
        ("T315I, E255K", ["T315I", "E255K"]),
        ("Y253H and F359V", ["Y253H", "F359V"]),
        ("none found", []),
        ("not tested", None),
    ],
)
def test_mutation_forms(text, expected):
    assert value("mutations", text) == expected


@pytest.mark.parametrize("text", ["banana", "T315", "315I", "X315I", "T315T", "Thr315Xyz", "T0I"])
def test_mutation_rejections(text):
    with pytest.raises(NormalizationError):
        normalize("mutations", text)


@pytest.mark.parametrize(
    "field,text,expected",
    [
        ("ae_grade", "grade 2", 2),
        ("ae_grade", "G3", 3),
        ("ae_grade", "grade II oedema", 2),
        ("ae_grade", "none", 0),
        ("ae_grade", "2", 2),
        ("ae_grade", "3 nausea", 3),
        ("ae_grade", "1 mucositis", 1),
        ("ae_grade", "2 diarrhoea", 2),
        ("phase", "CP", "chronic"),
        ("phase", "blast crisis", "blast"),
        ("dosing", "bid", "twice_daily"),
        ("goal", "TFR", "tfr"),
        ("goal", "side effects", "tolerability"),
        ("response_status", "suboptimal", "warning"),
        ("ddpcr_mr45", "yes", True),
        ("ddpcr_mr45", "no", False),
        ("ddpcr_mr45", "not done", None),
        ("prior_tki_failure", "no", False),
        ("standard_dose_mg", "600 mg", 600),
    ],
)
def test_categorical_forms(field, text, expected):
    assert value(field, text) == expected


@pytest.mark.parametrize(
    "field,text",
    [
        ("ae_grade", "grade 5"),
        ("ae_grade", "bad"),
        ("phase", "late"),
        ("ae_grade", "3 Hz"),
        ("ae_grade", "2 litres"),
        ("ae_grade", "3 months"),
        ("ae_grade", "1 mg"),
        ("ae_grade", "2 %"),
        ("ae_grade", "4 days"),
        ("mutations", "null"),
        ("mutations", "[]"),
        ("mutations", "{}"),
        ("ddpcr_mr45", "maybe"),
        ("goal", "cure"),
    ],
)
def test_categorical_rejections(field, text):
    with pytest.raises(NormalizationError):
        normalize(field, text)


def test_unknown_field():
    with pytest.raises(NormalizationError, match="unknown field"):
        normalize("weight", "70 kg")


def test_non_text_input_is_rejected():
    with pytest.raises(NormalizationError):
        normalize("bcr_abl1_is", None)
    with pytest.raises(NormalizationError):
        normalize("bcr_abl1_is", 0.1)


def test_values_are_finite_numbers():
    for f, t in [("bcr_abl1_is", "3.5 log"), ("trough_ng_ml", "2.1 µmol/L"), ("months_on_tki", "6 weeks")]:
        assert math.isfinite(value(f, t))


@pytest.mark.parametrize("text", ["always takes them", "takes her tablets religiously", "never forgets a dose"])
def test_plain_statements_of_every_dose_taken_read_100(text):
    assert normalize("adherence_pct", text).value == 100


@pytest.mark.parametrize("text", ["doesn't always take them", "always takes them except on holiday", "not always"])
def test_always_negated_or_qualified_is_asked_about(text):
    with pytest.raises(NormalizationError):
        normalize("adherence_pct", text)
