"""Actions run on trackers built from JSON: validation, asking, assessment replies, why, sources, stop."""

import asyncio
import re

from rasa_sdk.executor import CollectingDispatcher
from tracker_factory import DOMAIN, tracker

from actions.assessment import AssessDoseReduction, AssessTdm, ExplainRules, ShowSources, StopForm
from actions.faq_search import AnswerFaqTopic, SearchFaq, search
from actions.validation import ValidateDoseReductionForm, ValidateTdmForm, ValidateWorkupForm
from knowledge.sources import SOURCES
from knowledge.vocab import DISCLAIMER


def run(action, t):
    d = CollectingDispatcher()
    events = asyncio.run(action.run(d, t, DOMAIN))
    return events, d.messages


def slots_of(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def texts(messages):
    return " ".join(m.get("text") or "" for m in messages)


def test_several_values_in_one_message_are_normalised_and_only_missing_ones_asked():
    new = {
        "dose_mg": "400 mg",
        "months_on_tki": "5 years",
        "bcr_abl1_is": "BCR-ABL 0.008 %",
        "mmr_months": "30 months",
        "ae_grade": "grade 2",
        "goal": "tolerability",
    }
    events, messages = run(
        ValidateDoseReductionForm(),
        tracker(
            "400 mg for 5 years, BCR-ABL 0.008 %, MMR 30 months, grade 2 oedema, wants a lower dose",
            intent="assess_dose_reduction",
            active_loop="dose_reduction_form",
            new_slots=new,
        ),
    )
    s = slots_of(events)
    assert s["dose_mg"] == 400 and s["months_on_tki"] == 60 and s["bcr_abl1_is"] == 0.008
    assert s["mmr_months"] == 30 and s["ae_grade"] == 2 and s["goal"] == "tolerability"
    assert s["requested_slot"] == "adherence_pct"
    assert "adherent" in texts(messages)


def test_bare_answer_fills_the_requested_slot():
    events, _ = run(
        ValidateDoseReductionForm(),
        tracker("never misses", active_loop="dose_reduction_form", slots={"requested_slot": "adherence_pct"}),
    )
    assert slots_of(events)["adherence_pct"] == 100


def test_bad_input_is_rejected_with_the_expected_form_and_reasked():
    events, messages = run(
        ValidateDoseReductionForm(),
        tracker("lots", active_loop="dose_reduction_form", slots={"requested_slot": "bcr_abl1_is"}),
    )
    s = slots_of(events)
    assert s["bcr_abl1_is"] is None and s["requested_slot"] == "bcr_abl1_is" and s["failed_attempts"] == 1
    assert "International Scale" in texts(messages)


def test_a_bound_the_rules_cannot_use_is_noted_as_read_and_its_level_asked():
    events, messages = run(
        ValidateDoseReductionForm(),
        tracker("not in MMR", active_loop="dose_reduction_form", slots={"requested_slot": "bcr_abl1_is"}),
    )
    said = texts(messages)
    assert slots_of(events)["bcr_abl1_is"] is None and slots_of(events)["requested_slot"] == "bcr_abl1_is"
    assert "Noted: not in MMR (> 0.1 %)" in said and "the rules need the level itself" in said
    assert "could not read" not in said


def test_third_failure_offers_skip_or_stop():
    events, messages = run(
        ValidateDoseReductionForm(),
        tracker(
            "lots", active_loop="dose_reduction_form", slots={"requested_slot": "bcr_abl1_is", "failed_attempts": 2}
        ),
    )
    assert slots_of(events)["failed_attempts"] == 3
    assert "'skip'" in texts(messages) and "'stop'" in texts(messages)


def test_skip_leaves_the_value_unknown():
    events, _ = run(
        ValidateWorkupForm(),
        tracker("skip", intent="skip", active_loop="workup_form", slots={"requested_slot": "adherence_pct"}),
    )
    assert slots_of(events)["adherence_pct"] == "unknown"


def test_correction_updates_the_slot_and_says_so():
    events, messages = run(
        ValidateDoseReductionForm(),
        tracker(
            "actually it was 0.05 %",
            active_loop="dose_reduction_form",
            slots={"bcr_abl1_is": 0.008, "requested_slot": "adherence_pct"},
            entities=[{"entity": "percent", "value": "0.05 %", "start": 17, "end": 23}],
        ),
    )
    s = slots_of(events)
    assert s["bcr_abl1_is"] == 0.05
    assert "0.008 → 0.05" in texts(messages)


def test_bad_correction_keeps_the_earlier_value():
    events, messages = run(
        ValidateDoseReductionForm(),
        tracker(
            "dose 5000 mg",
            active_loop="dose_reduction_form",
            slots={"dose_mg": 400, "requested_slot": "adherence_pct"},
            new_slots={"dose_mg": "5000 mg"},
        ),
    )
    assert slots_of(events)["dose_mg"] == 400
    assert "kept the earlier value" in texts(messages)


def test_faq_question_mid_form_is_not_taken_as_a_value():
    events, _ = run(
        ValidateDoseReductionForm(),
        tracker(
            "what is the trough target?",
            intent="faq",
            active_loop="dose_reduction_form",
            slots={"requested_slot": "adherence_pct"},
        ),
    )
    s = slots_of(events)
    assert "adherence_pct" not in s or s["adherence_pct"] is None


def test_bid_dose_also_sets_the_schedule_in_tdm():
    events, _ = run(
        ValidateTdmForm(), tracker("400 mg bid", active_loop="tdm_form", slots={"requested_slot": "dose_mg"})
    )
    s = slots_of(events)
    assert s["dose_mg"] == 800 and s["dosing"] == "twice_daily"


def test_tdm_asks_for_mutations_only_when_the_response_is_suboptimal():
    base = {
        "trough_ng_ml": 700.0,
        "hours_since_dose": 24.0,
        "days_at_current_dose": 30.0,
        "dose_mg": 400,
        "adherence_pct": 95.0,
        "ae_grade": 1,
        "months_on_tki": 12.0,
        "requested_slot": "bcr_abl1_is",
    }
    events, _ = run(ValidateTdmForm(), tracker("0.5 %", active_loop="tdm_form", slots=base))
    assert slots_of(events)["requested_slot"] == "mutations"
    events, _ = run(ValidateTdmForm(), tracker("0.05 %", active_loop="tdm_form", slots=base))
    assert slots_of(events)["requested_slot"] is None


def test_reduction_form_asks_for_mr4_duration_only_for_tfr():
    filled = {
        "bcr_abl1_is": 0.005,
        "mmr_months": 30.0,
        "months_on_tki": 72.0,
        "dose_mg": 400,
        "adherence_pct": 98.0,
        "ae_grade": 0,
        "prior_tki_failure": False,
        "requested_slot": "goal",
    }
    events, _ = run(
        ValidateDoseReductionForm(), tracker("towards TFR", active_loop="dose_reduction_form", slots=filled)
    )
    assert slots_of(events)["requested_slot"] == "dmr_months"
    events, _ = run(
        ValidateDoseReductionForm(), tracker("side effects", active_loop="dose_reduction_form", slots=filled)
    )
    assert slots_of(events)["requested_slot"] is None


REDUCTION_SLOTS = {
    "bcr_abl1_is": 0.008,
    "mmr_months": 30.0,
    "months_on_tki": 60.0,
    "dose_mg": 400,
    "adherence_pct": 98.0,
    "ae_grade": 2,
    "goal": "tolerability",
    "prior_tki_failure": False,
}


def test_assessment_reply_has_text_references_disclaimer_and_unchanged_payload():
    events, messages = run(AssessDoseReduction(), tracker("", slots=REDUCTION_SLOTS))
    main = messages[0]
    assert "Candidate for reduction" in main["text"] and "References:" in main["text"]
    assert DISCLAIMER in main["text"] and "[1]" in main["text"]
    payload = main["custom"]
    assert payload["type"] == "recommendation" and payload["disclaimer"] == DISCLAIMER
    a = payload["assessment"]
    assert [r["code"] for r in a["recommendations"]] == ["reduce_dose", "intensify_monitoring"]
    assert a["rules_fired"] == ["RED-7", "RED-MON"]
    s = slots_of(events)
    assert s["last_assessment"]["assessment"] == a
    assert all(s[k] is None for k in REDUCTION_SLOTS), "patient values must not outlive the assessment"


def test_unknown_values_reach_the_module_as_missing():
    slots = {
        "trough_ng_ml": 900.0,
        "hours_since_dose": 24.0,
        "days_at_current_dose": 20.0,
        "dose_mg": 400,
        "adherence_pct": "unknown",
        "ae_grade": 0,
        "months_on_tki": 12.0,
        "bcr_abl1_is": 0.05,
    }
    _, messages = run(AssessTdm(), tracker("", slots=slots))
    a = messages[0]["custom"]["assessment"]
    assert "check_adherence" in [r["code"] for r in a["recommendations"]]


def test_why_lists_rules_in_plain_words_and_sources_gives_full_references():
    events, messages = run(AssessDoseReduction(), tracker("", slots=REDUCTION_SLOTS))
    after = {k: v for k, v in slots_of(events).items() if k in ("cards", "last_answer")}
    card = messages[0]["custom"]
    _, why = run(ExplainRules(), tracker("why?", intent="why", slots=after))
    assert "RED-7" in why[0]["text"] and "All criteria are met" in why[0]["text"]
    _, src = run(ShowSources(), tracker("sources", intent="sources", slots=after))
    assert "Clark RE" in src[0]["text"] and "Lancet Haematol" in src[0]["text"]
    # one numbering: a source is [n] on the card, in "sources" and in "why?" alike
    for ref in card["references"]:
        assert f"{ref['n']}. {ref['text']}" in src[0]["text"]
        if f"{ref['n']}. {ref['text']}" in why[0]["text"]:
            assert f"[{ref['n']}]" in why[0]["text"]


def test_why_and_sources_are_about_the_answer_on_screen():
    _, messages = run(ExplainRules(), tracker("why?", intent="why"))
    assert "no recommendation yet" in messages[0]["text"]
    events, messages = run(AssessDoseReduction(), tracker("", slots=REDUCTION_SLOTS))
    card_id = messages[0]["custom"]["card_id"]
    after = {k: v for k, v in slots_of(events).items() if k in ("cards", "last_answer")}
    # then a general question: "why?" and "sources" are about that answer, not the earlier card
    on_screen = dict(after, last_answer={"kind": "faq", "topics": ["mr4_definition"]})
    _, why = run(ExplainRules(), tracker("why?", intent="why", slots=on_screen))
    assert "RED-7" not in why[0]["text"] and "summary of the evidence" in why[0]["text"]
    _, src = run(ShowSources(), tracker("sources", intent="sources", slots=on_screen))
    assert src[0]["text"].startswith("Sources of 'Deep molecular response MR4', numbered as in the answer:\n1. ")
    # the card's own button still explains that card
    pressed = tracker(f'/why{{"card_id":"{card_id}"}}', intent="why", slots=on_screen)
    pressed.latest_message["entities"] = [{"entity": "card_id", "value": card_id}]
    _, why = run(ExplainRules(), pressed)
    assert "RED-7" in why[0]["text"]


def test_stop_clears_values_and_the_loop():
    events, messages = run(
        StopForm(), tracker("stop", intent="stop", active_loop="tdm_form", slots={"trough_ng_ml": 900.0})
    )
    assert {"event": "active_loop", "name": None} in events
    assert slots_of(events)["trough_ng_ml"] is None
    assert "discarded" in messages[0]["text"]


def test_fallback_offers_topic_buttons_and_never_a_recommendation():
    _, messages = run(SearchFaq(), tracker("ddpcr before lowering the dose??", intent="nlu_fallback"))
    assert messages[0]["buttons"] and not messages[0].get("custom")
    assert all(b["payload"].startswith("/choose_faq_topic") for b in messages[0]["buttons"])
    _, messages = run(SearchFaq(), tracker("what's the weather in paris", intent="out_of_scope"))
    assert not messages[0]["buttons"] and "outside" in messages[0]["text"]


def test_search_handles_hostile_text():
    for text in ["", "' OR 1=1; DROP TABLE faq; --", '"unbalanced', "*", "NEAR(", "x" * 10000, "💊💊"]:
        assert isinstance(search(text), list)


def test_topic_button_answers_from_knowledge():
    _, messages = run(
        AnswerFaqTopic(),
        tracker("/choose_faq_topic", intent="choose_faq_topic", slots={"faq_topic": "trough_threshold"}),
    )
    assert "1000 ng/mL" in messages[0]["text"] and DISCLAIMER in messages[0]["text"]
    assert any(SOURCES[k].authors.split()[0] in messages[0]["text"] for k in ("picard-2007", "seed-5", "clarke-2021"))


def test_a_bare_dose_answers_the_question_about_the_dose_before_the_reduction():
    from actions.validation import ValidatePostReductionForm

    events, _ = run(
        ValidatePostReductionForm(),
        tracker(
            "400 mg",
            active_loop="post_reduction_form",
            slots={"requested_slot": "standard_dose_mg", "bcr_abl1_is": 0.15},
            entities=[{"entity": "dose_mg", "value": "400 mg", "start": 0, "end": 6}],
            new_slots={"dose_mg": "400 mg"},
        ),
    )
    s = slots_of(events)
    assert s["standard_dose_mg"] == 400 and s.get("dose_mg") is None


def test_a_card_id_is_never_reused_so_an_old_button_cannot_act_on_a_newer_card():
    ids = {run(AssessDoseReduction(), tracker("", slots=REDUCTION_SLOTS))[1][0]["custom"]["card_id"] for _ in range(5)}
    assert len(ids) == 5
    pressed = tracker('/why{"card_id":"r1-00000000"}', intent="why", slots={"last_answer": {"kind": "card"}})
    pressed.latest_message["entities"] = [{"entity": "card_id", "value": "r1-00000000"}]
    _, why = run(ExplainRules(), pressed)
    assert "no recommendation yet" in why[0]["text"]  # a card this conversation does not hold


def test_mr4_held_for_a_time_is_mmr_held_at_least_as_long_and_is_not_asked_again():
    events, messages = run(
        ValidateDoseReductionForm(),
        tracker(
            "on 400, MR4 for 4 years, wants to reduce for fatigue",
            intent="assess_dose_reduction",
            active_loop="dose_reduction_form",
            new_slots={"dose_mg": "400", "dmr_months": "4 years", "goal": "tolerability"},
        ),
    )
    s = slots_of(events)
    assert s["dmr_months"] == 48 and s["mmr_months"] == 48
    assert s["value_sources"]["mmr_months"] == "implied by MR4 for 48 months"
    assert s["requested_slot"] != "mmr_months"
    assert "MMR for at least 48 months (implied by MR4)" in texts(messages)
    # the card names it as implied, not typed
    from actions.assessment import based_on

    basis = {b.label: b for b in based_on({"mmr_months": 48.0, "dmr_months": 48.0}, s["value_sources"])}
    implied = [b for b in basis.values() if b.how == "implied"]
    assert len(implied) == 1 and implied[0].source == "MR4 for 48 months"
    assert implied[0].text().endswith("(implied by MR4 for 48 months)")


def test_a_typed_mmr_duration_is_kept_beside_a_longer_mr4_one():
    events, _ = run(
        ValidateDoseReductionForm(),
        tracker(
            "MMR for 5 years, MR4 for 2 years",
            intent="assess_dose_reduction",
            active_loop="dose_reduction_form",
            new_slots={"mmr_months": "5 years", "dmr_months": "2 years"},
        ),
    )
    s = slots_of(events)
    assert s["mmr_months"] == 60 and s["dmr_months"] == 24
    assert s["value_sources"]["mmr_months"] == "5 years"  # converted from what was typed, not implied


def test_days_converted_from_months_read_as_whole_days_but_not_near_the_threshold():
    from dialogue.forms import show
    from knowledge.normalize import normalize

    three_months = normalize("days_at_current_dose", "3 months").value
    assert show("days_at_current_dose", three_months) == "about 91 days on this dose"
    assert show("days_at_current_dose", 4.5) == "4.5 days on this dose"  # near 5 days: as it is
    assert show("trough_ng_ml", 999.54).startswith("trough 999.54")  # a trough is never rounded


def _said(form, text, requested, slots=None):
    """Run a form's validation on ``text`` as the server sends it: the extractor's entities, and the slots
    its mappings set from them."""
    from dialogue.forms import FORMS
    from reading.extraction import extract

    entities = [dict(e, extractor="ClinicalEntityExtractor") for e in extract(text)]
    new = {e["entity"]: e["value"] for e in entities if e["entity"] in FORMS[form.form].slots}
    events, messages = run(
        form,
        tracker(
            text,
            entities=entities,
            active_loop=f"{form.form}_form",
            slots=dict(slots or {}, requested_slot=requested),
            new_slots=new,
        ),  # fmt: skip
    )
    return slots_of(events), texts(messages)


def test_a_percentage_given_when_the_dose_is_asked_is_never_the_dose():
    known = {"bcr_abl1_is": 0.004, "mmr_months": 36.0, "months_on_tki": 72.0}
    s, said = _said(ValidateDoseReductionForm(), "100% adherent", "dose_mg", known)
    assert s["adherence_pct"] == 100
    assert s.get("dose_mg") is None and s["requested_slot"] == "dose_mg"
    assert "could not read" not in said  # the message answered another question: no complaint,
    assert "Read: adherence 100 %" in said  # but it says what it read


def test_a_value_named_for_another_field_does_not_answer_the_question_asked():
    known = {"bcr_abl1_is": 2.5, "months_on_tki": 12.0}
    s, said = _said(ValidateWorkupForm(), "trough not done", "adherence_pct", known)
    assert s["trough_ng_ml"] == "unknown"
    assert s.get("adherence_pct") is None and s["requested_slot"] == "adherence_pct"


def test_what_is_left_of_a_mixed_answer_still_answers_the_question_asked():
    s, _ = _said(ValidateDoseReductionForm(), "no, and she takes 95 % of doses", "prior_tki_failure")
    assert s["prior_tki_failure"] is False and s["adherence_pct"] == 95


def test_none_for_a_trough_means_not_measured():
    s, said = _said(ValidateWorkupForm(), "none", "trough_ng_ml", {"bcr_abl1_is": 2.5, "adherence_pct": 95.0})
    assert s["trough_ng_ml"] == "unknown" and "trough (ng/mL) unknown" in said


def test_a_bare_number_corrects_the_value_it_can_only_be():
    held = {"trough_ng_ml": 780.0, "dose_mg": 400, "hours_since_dose": 25.0, "days_at_current_dose": 14.0}
    s, said = _said(ValidateTdmForm(), "actually it was 870", "adherence_pct", held)
    assert s["trough_ng_ml"] == 870 and s.get("dose_mg", 400) == 400
    assert s.get("adherence_pct") is None  # the question asked is not answered by the correction
    s, _ = _said(ValidateTdmForm(), "sorry, it was 20", "adherence_pct", held)  # 20 h or 20 days? both close
    assert s.get("hours_since_dose", 25.0) == 25.0 and s.get("days_at_current_dose", 14.0) == 14.0


def test_a_changed_word_value_in_passing_is_an_update_never_the_old_value_read_again():
    known = {"phase": "chronic", "bcr_abl1_is": 0.004, "mmr_months": 36.0, "months_on_tki": 72.0}
    s, said = _said(ValidateDoseReductionForm(), "she has progressed to accelerated phase", "adherence_pct", known)
    assert s["phase"] == "accelerated"
    assert "Read: chronic phase" not in said


def test_a_button_of_a_card_no_longer_kept_says_so():
    from actions.assessment import EXPIRED, CopyNote

    kept = {"r9-aaaa": {"title": "T", "keys": [], "note": "n", "assessment": {}}}
    for action in (ExplainRules(), ShowSources(), CopyNote()):
        t = tracker("/why", entities=[{"entity": "card_id", "value": "r1-old"}], slots={"cards": kept})
        _, messages = run(action, t)
        assert texts(messages) == EXPIRED


def test_sources_mid_form_after_a_general_answer_are_that_answers():
    t = tracker("sources", active_loop="tdm_form", slots={"last_answer": {"kind": "faq", "topics": ["steady_state"]}})
    _, messages = run(ShowSources(), t)
    assert texts(messages).startswith("Sources of 'Steady state before TDM', numbered as in the answer:")


def test_a_general_answer_has_its_sources_and_copy_buttons_numbered_as_in_it():
    """Issue 23: a general answer carries links, a "Sources" button about that very answer (even after another
    answer) and a plain-text copy; every [n] of the answer points at the reference "sources" gives as n."""
    from actions.faq_search import AnswerFaqTopic
    from knowledge.faq import TOPICS

    texts = []
    for topic in TOPICS:
        events, messages = run(AnswerFaqTopic(), tracker("", slots={"faq_topic": topic.id}))
        (answer,) = messages
        texts.append(answer["text"])
        payload = answer["custom"]
        assert payload["type"] == "answer" and payload["text"] == answer["text"] and payload["topic"] == topic.id
        assert "**" not in payload["note"] and "](" not in payload["note"]  # plain text, links written out
        (button,) = payload["buttons"]
        assert button == {"title": "Sources", "payload": f'/sources{{"faq_topic":"{topic.id}"}}'}
        later = {
            "last_answer": {
                "kind": "faq",
                "topics": ["steady_state" if topic.id != "steady_state" else "mr4_definition"],
            }
        }
        pressed = tracker(button["payload"], intent="sources", entities=[{"entity": "faq_topic", "value": topic.id}],
                          slots=later)  # fmt: skip
        _, src = run(ShowSources(), pressed)
        listed = dict(re.findall(r"^(\d+)\. (.+)$", src[0]["text"], re.M))
        shown = dict(re.findall(r"^(\d+)\. (.+)$", answer["text"].split("References:")[1], re.M))
        assert listed == shown and listed, topic.id
        assert src[0]["text"].startswith(f"Sources of '{topic.title}'")
        for n in re.findall(r"\[(\d+)\]", answer["text"].split("References:")[0]):
            assert n in listed, (topic.id, n)
    assert any("[PubMed](https://pubmed.ncbi.nlm.nih.gov/" in text for text in texts)  # the links are there


def cited_and_listed(text):
    """The [n] a reply's body cites, and its reference list as n → the reference's text."""
    body, _, refs = text.partition("References")
    listed = dict(re.findall(r"^(\d+)\. (.+?)(?: \[PubMed\].*| \[DOI\].*)?$", refs, re.M))
    return {int(n) for n in re.findall(r"\[(\d+)\]", body)}, {int(n): t for n, t in listed.items()}


def test_every_citation_of_every_reply_points_at_the_reference_it_names():
    from knowledge.card import SOURCES
    from knowledge.faq import TOPICS, render_topic

    events, messages = run(AssessDoseReduction(), tracker("", slots=REDUCTION_SLOTS))
    card = messages[0]["custom"]
    on_card = {r["n"]: r["key"] for r in card["references"]}
    after = {k: v for k, v in slots_of(events).items() if k in ("cards", "last_answer")}
    _, why = run(ExplainRules(), tracker("why?", intent="why", slots=after))
    replies = [("card", messages[0]["text"]), ("why", why[0]["text"])] + [(t.id, render_topic(t)) for t in TOPICS]
    references = {s.reference(): k for k, s in SOURCES.items()}
    for name, text in replies:
        cited, listed = cited_and_listed(text)
        assert cited and listed, f"{name}: no citation or no reference list"
        assert cited <= set(listed), f"{name}: {sorted(cited - set(listed))} cited but not listed"
        for n, ref in listed.items():
            assert ref in references, f"{name}: reference {n} is no source: {ref[:60]}"
            if name in ("card", "why") and n in on_card:
                assert references[ref] == on_card[n], f"{name}: [{n}] is {references[ref]}, on the card {on_card[n]}"
