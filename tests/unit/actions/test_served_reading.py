"""What a form takes from a message at its start is what `read` states (issue 20, item 1: read once).

The server's path is followed: the NLU component's entities (``reading.reader.entities``) and the reading it
stores in the parse data; the domain's mappings set each slot from the last entity of its name; the form's
validation then runs. Values that only the reading works out (hours from two clock times, adherence from a count
of missed doses) reach the form; a time, a percentage or a dose the reading gave another meaning does not.
The sentences are our own.
"""

from __future__ import annotations

from datetime import date

from test_actions import run, slots_of, texts
from tracker_factory import tracker

from actions.validation import ValidateResponseForm, ValidateTdmForm, ValidateWorkupForm
from dialogue.forms import FORMS
from reading.reader import entities

TODAY = date(2026, 12, 7)


def served(form, text: str):
    """The slots and replies of a form started by ``text``, as the server would run it."""
    read_once, found = entities(text, TODAY)
    ents = [dict(e, extractor="ClinicalEntityExtractor") for e in found]
    new = {}
    for e in ents:  # Rasa's from_entity mapping: the last entity of the slot's name
        if e["entity"] in FORMS[form.form].slots:
            new[e["entity"]] = e["value"]
    t = tracker(text, entities=ents, active_loop=f"{form.form}_form", new_slots=new, reading=read_once.as_dict())
    events, messages = run(form, t)
    return slots_of(events), texts(messages)


def test_hours_worked_out_from_two_clock_times_reach_the_form():
    s, said = served(ValidateTdmForm(), "imatinib 400 od, took it at 20:30, level drawn 08:30, 1150 ng/mL, 2 yrs in")
    assert s["hours_since_dose"] == 12
    assert s["trough_ng_ml"] == 1150 and s["dose_mg"] == 400
    assert s.get("requested_slot") != "hours_since_dose"


def test_adherence_from_missed_doses_a_week_reaches_the_form():
    s, _ = served(ValidateWorkupForm(), "on IM 400 for 14 months, PCR 2.2 %, she misses 2 doses a week")
    assert round(s["adherence_pct"], 1) == 71.4


def test_time_on_the_reduced_dose_is_not_the_time_on_imatinib():
    s, _ = served(ValidateResponseForm(), "IM 300 od for 5 mo (cut from 400 for rash), pcr 0.2%")
    assert s.get("months_on_tki") is None


def test_a_percentage_of_something_else_is_not_taken_as_the_level():
    s, _ = served(ValidateResponseForm(), "now in AP, blasts 14 % on the film, 3 years on IM 400")
    assert s.get("bcr_abl1_is") is None
    s, _ = served(ValidateResponseForm(), "3 years on IM 400, PCR 0.4 %")
    assert s["bcr_abl1_is"] == 0.4 and s["months_on_tki"] == 36


def test_two_levels_the_reading_will_not_choose_between_are_asked_not_guessed():
    text = "levels: March 2.8 µmol/L on 600, then 1.6 µmol/L after going down to 400 od, 12 mo PCR 0.06%"
    s, _ = served(ValidateTdmForm(), text)
    assert s.get("trough_ng_ml") is None
    assert s["requested_slot"] == "trough_ng_ml"


def test_a_trough_without_a_unit_is_still_asked_with_the_reason():
    s, said = served(ValidateTdmForm(), "trough 1400, IM 400 od for 2 yrs, 24 h after the dose")
    assert s.get("trough_ng_ml") is None
    assert "unit" in said.lower()


def test_the_schedule_of_the_dose_before_a_reduction_is_not_the_schedule_now():
    s, _ = served(ValidateResponseForm(), "on 400 daily after coming down from 800 (400 bd), 2 yrs in, PCR 0.5%")
    assert s["dose_mg"] == 400
    assert s.get("dosing") != "twice_daily"


def test_a_time_said_alone_in_a_case_read_back_and_kept_for_the_assessment():
    """ "IM 400, 12 months, PCR 0.4 %" with no assessment named: the read-back states the 12 months the reading
    gives the time on imatinib, and keeps them for the next form (they had been dropped as a generic span)."""
    from actions.case_reading import ReadCase

    text = "IM 400, 12 months, PCR 0.4%"
    read_once, found = entities(text, TODAY)
    ents = [dict(e, extractor="ClinicalEntityExtractor") for e in found]
    events, messages = run(ReadCase(), tracker(text, entities=ents, reading=read_once.as_dict()))
    said = texts(messages)
    assert "12 months on imatinib" in said
    pending = slots_of(events)["pending_values"]
    assert ["months_on_tki", "12 months"] in pending
