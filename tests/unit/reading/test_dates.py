"""Dates written day first with dots ("01.03.2020", "11.2019", "05.12."), as European colleagues write them, and
full dates with slashes whose day cannot be a month: own sentences."""

from datetime import date

import pytest

from reading import read

TODAY = date(2026, 12, 6)


def _values(text):
    return {f: v.value for f, v in read(text, today=TODAY).values.items()}


@pytest.mark.parametrize(
    "text,months",
    [
        ("patient under imatinib 400 mg since 01.03.2020, last PCR 0,008 %", 81.18),
        ("imatinib 400 mg since 11.2019, MMR since 2021", 84.69),
        ("IM 400 od started 10.10.2024, 3 mo 20 %", 25.85),
        ("on IM since 18/11/2021, 0.02%", 60.58),
    ],
)
def test_a_start_written_as_a_date_counts_from_its_day_or_the_middle_of_its_month(text, months):
    assert _values(text)["months_on_tki"] == pytest.approx(months, abs=0.05)


def test_a_slashed_date_that_may_be_either_way_round_is_not_read():
    assert "months_on_tki" not in _values("on IM since 03/05/2021, 0.02%")


def test_a_series_dated_with_dots_ends_with_its_newest_result():
    r = read(
        "CML-CP, imatinib 400 mg/day since 01.03.2020. BCR-ABL1 IS: 15.01.2026 0,009 %; 10.05.2026 0,007 %; "
        "02.09.2026 0,004 %.",
        today=TODAY,
    )
    assert [p.value for p in r.series] == [0.009, 0.007, 0.004]
    assert r.values["bcr_abl1_is"].value == 0.004


def test_the_latest_result_dated_with_dots_is_the_level_now():
    r = read("IM 400 od started 10.10.2024. 3 mo 18%, 6 mo 8%, 12 mo 3.2%, latest 01.12.2026 2.9%.", today=TODAY)
    assert r.values["bcr_abl1_is"].value == 2.9
    assert [p.value for p in r.series][-1] == 2.9


def test_mg_per_day_before_a_date_is_no_day_of_a_course():
    assert "months_on_tki" in _values("imatinib 400 mg/day since 01.03.2020, 0.01 %")


@pytest.mark.parametrize(
    "text,hours",
    [
        ("400 od. Last dose 05.12.2026 08:10, sample drawn 06.12.2026 07:50. Result 812 ng/mL", 23.67),
        ("Last intake 05.12. at 08:00, blood taken 06.12. at 07:30. Level 0,74 mg/l", 23.5),
        ("level drawn 06.12 10:15 in clinic (last dose 05.12 21:00), 2100 ng/mL", 13.25),
    ],
)
def test_clock_times_with_their_dates(text, hours):
    assert _values(text)["hours_since_dose"] == pytest.approx(hours)


@pytest.mark.parametrize(
    "text",
    [
        "last dose 04/12 08:00, trough drawn 06/12 08:00, 900 ng/ml",  # two days: no trough timing to read
        "last dose 08:00, trough drawn 06/12 07:00, 900 ng/ml",  # one time dated, the other not
    ],
)
def test_clock_times_whose_dates_do_not_give_one_gap_are_not_read(text):
    assert "hours_since_dose" not in _values(text)


@pytest.mark.parametrize(
    "text,days",
    [
        ("dose unchanged since 02.10.2026, IM 400 od, trough 800 ng/mL", 65),
        ("pt on 400, reduced to 300 since March 2025, PCR 0.01%", 631),
    ],
)
def test_a_dose_or_its_change_dated_gives_the_days_at_that_dose(text, days):
    values = _values(text)
    assert values["days_at_current_dose"] == days
    assert "months_on_tki" not in values


def test_imatinib_from_a_date_is_its_start_but_a_span_of_years_is_not():
    assert _values("imatinib 400 mg od from 02.04.2024, PCR 0.3%")["months_on_tki"] == pytest.approx(32.13, abs=0.05)
    assert "months_on_tki" not in _values("imatinib 400 mg from 2019 to 2021, then nilotinib; now 0.5%")


def test_the_latest_result_ends_a_series_that_also_has_a_repeat():
    r = read(
        "IM 400 od from 02.04.2024. PCR: 3 mo 16% (repeated 4 wks later 12%), 6 mo 2.5%, 12 mo 0.5%, latest "
        "20.11.2026 0.15% IS",
        today=TODAY,
    )
    assert r.values["bcr_abl1_is"].value == 0.15
