from helpers import run

from knowledge import faq
from knowledge.card import build
from knowledge.render import render_topic
from knowledge.vocab import DISCLAIMER


def test_assessment_text_numbers_citations_and_keeps_disclaimer():
    r = run(
        "dose_reduction",
        phase="chronic",
        dose_mg=400,
        months_on_tki=60,
        bcr_abl1_is=0.05,
        mmr_months=30,
        adherence_pct=98,
        ae_grade=2,
        mutations=[],
        prior_tki_failure=False,
    )
    card = build(r, {}, card_id="c", title="Dose reduction")
    text = card.text
    assert "[clark-2017]" not in text and "[1]" in text
    assert "References:" in text and "Clark RE" in text
    assert DISCLAIMER in text
    assert text.index("Candidate for reduction") < text.index("RQ-PCR on the IS every")
    assert "RED-RISK" in text
    # the payload's references are the text's, in the same numbering
    first = card.payload["references"][0]
    assert first["n"] == 1 and "1. " + first["text"] in text and text.index("[1]") < text.index("[2]")


def test_missing_inputs_are_listed():
    text = build(run("response", phase="chronic"), {}, card_id="c", title="Response").text
    assert "Still needed: the time on imatinib and the latest BCR-ABL1 level (% IS)." in text  # never field names
    assert "bcr_abl1" not in text and "bcr abl1" not in text


def test_every_faq_topic_renders_with_references_and_caveats():
    for topic in faq.TOPICS:
        text = render_topic(topic)
        assert "References:" in text and DISCLAIMER in text
        if any(s.unverified for s in topic.statements):
            assert "unverified" in text
