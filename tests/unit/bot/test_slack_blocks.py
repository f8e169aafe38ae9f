"""Block Kit of a card and of quick replies (bot/custom/channels.py), from a real card (knowledge/card.py)."""

import json

from bot.custom.channels import button_blocks, recommendation_blocks
from knowledge.api import assess_request
from knowledge.card import Basis, build
from reading.series import read_series


def test_a_card_in_slack_has_its_numbers_links_series_inputs_and_buttons():
    case = {"assessment": "response", "months_on_tki": 18, "bcr_abl1_is": 0.08}
    result, _ = assess_request(case)
    points = read_series("12 % at 3 months, 2 % at 6, 0.5 % at 12, 0.08 % at 18")
    card = build(result, case, card_id="r2", title="Response to imatinib", series=points,
                 based_on=[Basis("BCR-ABL1", "0.08 % IS"),
                           Basis("Duration of MMR", "48 months", "implied", "MR4 for 48 months"),
                           Basis("Trough", "590 ng/mL", "converted", "1.2 µmol/L")])  # fmt: skip
    payload = dict(card.payload, buttons=[{"title": "Why?", "payload": '/why{"card_id":"r2"}'},
                                          {"title": "Sources", "payload": '/sources{"card_id":"r2"}'},
                                          {"title": "New patient", "payload": "/new_patient"}])  # fmt: skip
    reply = recommendation_blocks(payload, card.text)
    text = json.dumps(reply["blocks"])
    assert "*Response to imatinib*" in text and "[1]" in text
    assert "https://pubmed.ncbi.nlm.nih.gov/32127639/|Hochhaus" in text  # the ELN 2020 reference, linked
    assert "0.08      optimal" in text and "Latest change: about 6-fold fall" in text
    assert "Based on: BCR-ABL1: 0.08 % IS;" in text  # one label per value
    assert "Duration of MMR: 48 months (implied by MR4 for 48 months)" in text
    assert "Trough: 590 ng/mL (converted from 1.2 \\u00b5mol/L)" in text  # json.dumps escapes the µ
    assert f"*{card.payload['bottom_line']}*" in text.split("Based on")[0]  # the bottom line, before the details
    actions = [b for b in reply["blocks"] if b["type"] == "actions"]
    titles = [e["text"]["text"] for e in actions[0]["elements"]]
    assert titles == ["Why?", "Sources", "Copy as note", "Copy full note", "New patient"]
    assert actions[0]["elements"][2]["value"] == '/copy_note{"card_id":"r2"}'
    assert actions[0]["elements"][3]["value"] == '/copy_note{"card_id":"r2", "version":"full"}'
    assert "not a substitute for clinical judgement" in text


def test_quick_replies_become_buttons_even_more_than_five():
    buttons = [{"title": f"Option {i}", "payload": f"/choice{i}"} for i in range(6)]
    (block,) = button_blocks(buttons)
    assert len(block["elements"]) == 6 and len({e["action_id"] for e in block["elements"]}) == 6
    assert block["elements"][5]["value"] == "/choice5"


def test_user_text_can_neither_ping_nor_hide_a_link_and_long_lines_fit():
    from bot.custom.channels import text_blocks

    reply = text_blocks("I could not read that as BCR-ABL1: could not read '<!channel> 5 <http://x|PubMed>' & more")
    text = reply["blocks"][0]["text"]["text"]
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text and "&amp; more" in text
    long = text_blocks("x" * 7000)
    assert all(len(b["text"]["text"]) <= 3000 for b in long["blocks"]) and len(long["blocks"]) == 3
    assert (
        button_blocks([{"title": "", "payload": "/x"}, {"title": "Yes", "payload": "yes"}])[0]["elements"][0]["text"][
            "text"
        ]
        == "Yes"
    )


def test_conflicting_values_come_first_in_slack_and_in_the_cds_card():
    """Spec v1.2: contradictory values are named, with what they hold back, in every channel (issue 19)."""
    from cds.cards import detail
    from cds.case import RecordCase

    case = {"assessment": "post_reduction", "on_reduced_dose": True, "dose_mg": 600, "standard_dose_mg": 400,
            "bcr_abl1_is": 0.4}  # fmt: skip
    result, _ = assess_request(case)
    card = build(result, case, card_id="c9", title="After a dose reduction")
    text = json.dumps(recommendation_blocks(dict(card.payload), card.text)["blocks"])
    assert text.index("Conflicting values") < text.index("MMR lost on the reduced dose")
    assert "held back until checked: the target dose" in text
    assert "Conflicting values" in detail("post_reduction", card, RecordCase(applies=True))


def test_a_general_answer_in_slack_has_its_links_and_its_sources_button():
    """Issue 23: a general answer is posted once, its references as a context block with Slack links, and
    its "Sources" button about that answer."""
    import asyncio

    from bot.custom.channels import SlackOutput
    from knowledge.faq import get_topic, plain, render_topic

    topic = get_topic("eln_milestones")
    text = render_topic(topic)
    sources = {"title": "Sources", "payload": '/sources{"faq_topic":"eln_milestones"}'}
    custom = {"type": "answer", "topic": topic.id, "title": topic.title, "text": text, "note": plain(text),
              "buttons": [sources]}  # fmt: skip
    posted = []

    async def post(channel, **kwargs):
        posted.append(kwargs)

    out = SlackOutput("xoxb-test", slack_channel="C1")
    out._post_message = post
    asyncio.run(out.send_response("C1", {"text": text, "custom": custom}))
    (reply,) = posted
    blocks = json.dumps(reply["blocks"])
    assert "<https://pubmed.ncbi.nlm.nih.gov/32127639/|PubMed>" in blocks and "](" not in blocks
    assert reply["blocks"][-1]["elements"][0]["value"] == sources["payload"]
