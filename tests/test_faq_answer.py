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
