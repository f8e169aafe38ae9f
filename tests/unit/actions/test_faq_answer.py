"""Choosing what a general question asks about (actions/faq_search.choose_topics): own sentences."""

from actions.faq_search import choose_topics


def rank(*pairs):
    return [{"intent_response_key": f"faq/{t}", "confidence": c} for t, c in pairs]


def test_the_keyword_search_corrects_an_unsure_selector():
    got = choose_topics(
        "what proportion is MR 4.5 on the international scale", rank(("mr4_definition", 0.3), ("mr45_definition", 0.2))
    )
    assert [t.id for t in got] == ["mr45_definition"]


def test_a_sure_selector_is_kept():
    got = choose_topics("when should the trough be drawn", rank(("trough_sampling", 0.9), ("steady_state", 0.05)))
    assert [t.id for t in got][:1] == ["trough_sampling"]


def test_two_questions_get_two_answers():
    got = choose_topics("MMR versus MR4: how do they differ", rank(("mmr_definition", 0.6), ("mr4_definition", 0.3)))
    assert {t.id for t in got} == {"mmr_definition", "mr4_definition"}


def test_one_question_gets_one_answer():
    got = choose_topics("what is MR4", rank(("mr4_definition", 0.8), ("mmr_definition", 0.15)))
    assert [t.id for t in got] == ["mr4_definition"]


def test_a_named_study_points_to_the_topics_citing_it():
    # the selector leans elsewhere; the first author's name (from the sources registry) decides
    got = choose_topics(
        "what did Jabbour report about 800 mg",
        rank(("suboptimal_response_workup", 0.45), ("escalation_evidence", 0.05)),
    )
    assert got[0].id in {"escalation_evidence", "escalation_candidates"}
    got = choose_topics("the Picard data?", rank(("tdm_overview", 0.5), ("trough_threshold", 0.1)))
    assert got[0].id == "trough_threshold"


def test_a_short_question_naming_the_term_a_topic_defines_is_clear():
    from actions.faq_search import unclear_topics

    ranking = rank(("mmr_definition", 0.3), ("mr4_definition", 0.28), ("mr45_definition", 0.1))
    assert unclear_topics("MR 4.5 in %?", ranking) == []
    # a short question naming nothing a single topic defines is still asked about
    assert unclear_topics("what's the cut off", rank(("mr4_definition", 0.3), ("trough_threshold", 0.2))) != []


def test_timing_after_a_dose_change_is_the_steady_state_topic():
    got = choose_topics(
        "dose went up yesterday, is it too soon to check a level",
        rank(("escalation_candidates", 0.3), ("steady_state", 0.1)),
    )
    assert got[0].id == "steady_state"
