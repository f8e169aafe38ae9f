"""Numbers said in words (a phone's dictation) and units written out in full: own sentences."""

import pytest

from knowledge.normalize import normalize
from reading import read, spoken
from reading.reader import entities


@pytest.mark.parametrize(
    "said,written",
    [
        ("on four hundred milligrams", "on 400 milligrams"),
        ("nought point nought five percent", "0.05 percent"),
        ("zero point zero zero eight per cent", "0.008 per cent"),
        ("point oh three percent", "0.03 percent"),
        ("two point one micromol per litre", "2.1 micromol per litre"),
        ("eighteen months on it", "18 months on it"),
        ("sampled at twenty-four hours", "sampled at 24 hours"),
        ("sampled at twenty four hours", "sampled at 24 hours"),
        ("a level of one thousand two hundred and fifty", "a level of 1250"),
        ("twelve hundred nanograms", "1200 nanograms"),
        ("back up to six hundred", "back up to 600"),
        ("imatinib to hundred milligrams", "imatinib 200 milligrams"),
        ("MR four point five", "MR 4.5"),
    ],
)
def test_numbers_said_in_words_are_read_in_digits(said, written):
    assert spoken.digits(said)[0] == written


@pytest.mark.parametrize(
    "text",
    [
        "she would like to stop one day",
        "takes two tablets",
        "one of the nurses rang",
        "a couple of weeks ago",
        "went to hundreds of clinics",
        "the two of them",
        "ten out of ten for effort",
    ],
)
def test_words_that_are_no_value_stay_as_written(text):
    assert spoken.digits(text) == (text, [])


def test_a_dictated_case_is_read_with_its_spans_in_the_words_said():
    text = "on imatinib four hundred milligrams daily for eighteen months, PCR nought point nought five percent"
    r = read(text)
    assert {f: v.value for f, v in r.values.items()} == {"dose_mg": 400, "months_on_tki": 18.0, "bcr_abl1_is": 0.05}
    _, found = entities(text)
    spans = {e["entity"]: text[e["start"] : e["end"]] for e in found}
    assert spans["bcr_abl1_is"] == "nought point nought five percent"
    assert spans["months_on_tki"] == "eighteen months"
    assert spans["dose_mg"].startswith("four hundred milligrams")


def test_position_maps_back_across_several_numbers():
    text = "x twenty-four hours, y three hundred, z"
    said, moved = spoken.digits(text)
    assert said == "x 24 hours, y 300, z"
    assert text[spoken.position(moved, said.index("300")) : spoken.position(moved, said.index("300") + 3, True)] == (
        "three hundred"
    )
    assert text[spoken.position(moved, said.index("z")) :] == "z"


@pytest.mark.parametrize(
    "text,ng_ml",
    [
        ("trough 2.1 micromol per litre", 1036.56),
        ("trough 2.1 micromoles per liter", 1036.56),
        ("trough 1100 nanograms per millilitre", 1100),
        ("trough 1,100 ng per ml", 1100),
        ("trough 1.1 micrograms per ml", 1100),
        ("trough 2300 nanomoles per litre", 1135.28),
    ],
)
def test_trough_units_written_out_in_full(text, ng_ml):
    r = read(text)
    assert r.values["trough_ng_ml"].value == pytest.approx(ng_ml)


def test_a_unit_written_out_is_kept_as_written_in_the_value():
    assert normalize("trough_ng_ml", "1.1 micrograms per millilitre").value == 1100


@pytest.mark.parametrize(
    "said,written",
    [
        ("the panel found T three one five I", "the panel found T315I"),
        ("E two five five K at twenty percent", "E255K at 20 percent"),
        ("F three seventeen L", "F317L"),
        ("Y two fifty three H", "Y253H"),
        ("in MR four for 3 years", "in MR4 for 3 years"),
    ],
)
def test_mutations_and_responses_said_in_words(said, written):
    assert spoken.digits(said)[0] == written


@pytest.mark.parametrize(
    "text,field,value",
    [
        ("patient on imatinib 300 mg (reduced from 400) since 14 months, PCR 0,008 %", "days_at_current_dose", 426.16),
        ("the patient is since 3 years on imatinib 400 mg, BCR-ABL1 0,02 %", "months_on_tki", 36),
        ("takes imatinib 200 mg from 9 months, after reduction from 400, PCR 0,05 %", "days_at_current_dose", 273.96),
    ],
)
def test_a_european_since_a_time_is_for_that_time(text, field, value):
    assert read(text).values[field].value == pytest.approx(value)


@pytest.mark.parametrize("text", ["since 3 months ago she is on 300", "PCR from 3 months was 10 %, IM 400"])
def test_since_and_from_that_date_something_stay(text):
    assert "days_at_current_dose" not in read(text).values


@pytest.mark.parametrize(
    "said,written",
    [
        ("PCR ten to the minus four percent", "PCR 0.0001 percent"),
        ("level eight seventy nanograms per mil", "level 870 nanograms per mil"),
        ("trough twelve hundred and ten ng", "trough 1210 ng"),
        ("trough eleven forty nanograms", "trough 1140 nanograms"),
        ("in M R four, M M R for five years", "in MR4, MMR for 5 years"),
    ],
)
def test_more_of_what_dictation_writes(said, written):
    assert spoken.digits(said)[0] == written
