"""The web widget in a real browser: headless Chromium driven by Playwright against the running servers
(the end-to-end layer; tests/e2e/test_webchat_render.py tests the rendering against scripted messages).

A full dose-reduction conversation by typing and clicking; the recommendation card and its numbered
citations must appear. The welcome's examples, the typing indicator, reply sets and a reload in the middle
of a form work with the real assistant. Screenshots are kept in test-artifacts/ as the tests' artefacts.

The last tests check the card contract end to end: quick replies for closed questions, a card with Based
on, the trough against its target, a note and buttons, a series drawn, /new_patient.
"""

import time

import pytest
from webchat_helpers import ARTIFACTS, say, shot

from harness.servers import ROOT
from knowledge.vocab import DISCLAIMER

pytestmark = pytest.mark.rasa
pytest_plugins = ["webchat_browser"]  # browser, open_page


def test_dose_reduction_in_the_widget_shows_a_cited_card(servers, browser):
    page = browser.new_page(viewport={"width": 1000, "height": 1400})
    page.goto(f"http://127.0.0.1:{servers.rasa_port}/webhooks/webchat/ui/")
    assert page.get_attribute("#log", "role") == "log"
    assert page.get_attribute("#log", "aria-live") == "polite"
    assert "not a substitute for clinical judgement" in page.inner_text("#disclaimer")
    page.wait_for_selector("text=Connected.")

    def say(text, expect):
        page.fill("#message", text)
        page.keyboard.press("Enter")  # keyboard only
        page.wait_for_selector(f".msg.bot >> text={expect}", timeout=30000)

    say("hello", "Type 'help'")
    say("what is MR4.5?", "0.0032")  # markdown answer with references
    say(
        "can I reduce the dose? 400 mg for 5 years, BCR-ABL 0.008 %, MMR 30 months, grade 2 oedema, wants a lower dose",
        "How adherent",
    )
    say("never misses", "resistance or failure on a TKI")
    page.fill("#message", "no")
    page.click("button[type=submit]")  # and by clicking
    card = page.wait_for_selector("[data-testid=recommendation]", timeout=30000)
    text = card.inner_text()
    assert "Candidate for reduction" in text and "RQ-PCR on the IS every" in text and DISCLAIMER in text
    links = card.query_selector_all(".card a[href^='#ref-']")
    refs = card.query_selector_all("ol.refs li")
    assert links and refs and any("Clark RE" in r.inner_text() for r in refs)
    ref_ids = [r.get_attribute("id") for r in refs]
    for link in links:  # every citation is a numbered link to its entry in the reference list
        number = int(link.inner_text().strip("[]"))
        assert ref_ids[number - 1] == link.get_attribute("href")[1:]
    assert page.query_selector(".card.info") is not None
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "webchat-dose-reduction.png"), full_page=True)

    cards = len(page.query_selector_all("[data-testid=recommendation]"))
    bots = len(page.query_selector_all(".msg.bot"))
    page.fill("#message", "blorp zzkq")  # not understood: topics or help, never a recommendation
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('.msg.bot').length > {bots}", timeout=30000)
    assert len(page.query_selector_all("[data-testid=recommendation]")) == cards
    page.close()


def test_topic_buttons_work_by_keyboard(servers, browser):
    page = browser.new_page()
    page.goto(f"http://127.0.0.1:{servers.rasa_port}/webhooks/webchat/ui/")
    page.wait_for_selector("text=Connected.")
    page.fill("#message", "which level?")  # unclear: the topics it may mean come as buttons
    page.keyboard.press("Enter")
    button = page.wait_for_selector(".replies button", timeout=30000)
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".msg.bot >> text=References:", timeout=30000)
    page.close()


def test_widget_assets_come_from_the_server_not_a_cdn(servers):
    html = (ROOT / "web" / "index.html").read_text()
    assert "http" not in html.replace("http-equiv", "")
    import urllib.request

    for asset in ("chat.js", "chat.css", "socket.io.min.js"):
        with urllib.request.urlopen(f"http://127.0.0.1:{servers.rasa_port}/webhooks/webchat/ui/{asset}") as r:
            assert r.status == 200 and len(r.read()) > 500


# --- the conversation with the real assistant ------------------------------------------------------------------


def widget(servers):
    return f"http://127.0.0.1:{servers.rasa_port}/webhooks/webchat/ui/"


def settle(page, before, quiet=1.0, timeout=60):
    """Wait for the reply to the last message: more bot elements than ``before``, the typing indicator
    gone, and nothing new for ``quiet`` seconds (a reply comes as several socket messages)."""
    page.wait_for_function(
        f"document.querySelectorAll('#log > :not(.msg.user)').length > {before} && !document.querySelector('.typing')",
        timeout=timeout * 1000,
    )
    seen, since = -1, time.time()
    while time.time() - since < quiet:
        now = page.locator("#log > *").count()
        if now != seen:
            seen, since = now, time.time()
        time.sleep(0.1)


def tell(page, text):
    """Type ``text``, send it and wait for the whole reply; returns the text of the bot's new messages."""
    before = page.locator("#log > :not(.msg.user)").count()
    say(page, text)
    settle(page, before)
    return "\n".join(m.inner_text() for m in page.locator("#log > :not(.msg.user)").all()[before:])


def until_card(page, first, answer="skip", turns=12):
    """Send ``first``, then ``answer`` each question until a recommendation card is on screen."""
    cards = page.locator("[data-testid=recommendation]").count()
    tell(page, first)
    for _ in range(turns):
        if page.locator("[data-testid=recommendation]").count() > cards:
            return page.locator("[data-testid=recommendation]").last
        tell(page, answer)
    raise AssertionError("no recommendation card after %d answers:\n%s" % (turns, page.inner_text("#log")))


def test_the_welcome_examples_get_real_answers(servers, open_page):
    expected = ["Read: trough 590", "Read: BCR-ABL1 0.008 % IS", "Monitoring after dose reduction"]
    for i, text in enumerate(expected):
        page = open_page(widget(servers), "phone")
        examples = page.locator(".examples button")
        assert examples.count() == 3
        before = page.locator("#log > :not(.msg.user)").count()
        examples.nth(i).click()
        settle(page, before)
        assert page.locator(".msg.user").inner_text() == examples.nth(i).inner_text()
        assert text in page.inner_text("#log"), page.inner_text("#log")
        assert all(b.is_disabled() for b in examples.all())
        if i == 0:
            shot(page, "webchat-e2e-example-phone.png")
        assert not page.errors


WATCH_TYPING = """() => {  // what the log shows, in order: 'typing' when the indicator appears, 'bot' for a reply
  window.seen = [];
  new MutationObserver((changes) => changes.forEach((c) => c.addedNodes.forEach((n) => {
    if (n.dataset && n.dataset.testid === "typing") window.seen.push("typing");
    else if (n.classList && n.classList.contains("bot")) window.seen.push("bot");
  }))).observe(document.getElementById("log"), { childList: true });
}"""


def test_the_typing_indicator_shows_until_the_real_reply(servers, open_page):
    page = open_page(widget(servers))
    page.evaluate(WATCH_TYPING)  # the real reply may come within milliseconds: watch, do not poll
    say(page, "hello")
    page.wait_for_selector(".msg.bot >> text=Type 'help'", timeout=30000)
    assert page.evaluate("window.seen")[:2] == ["typing", "bot"]
    assert page.locator("[data-testid=typing]").count() == 0
    assert not page.errors


def test_a_reload_in_the_middle_of_a_form_shows_the_open_question_and_continues_it(servers, open_page):
    page = open_page(widget(servers))
    reply = tell(page, "Can I reduce the dose? 400 mg for 5 years, BCR-ABL1 0.008 %, MMR for 30 months, grade 2 oedema")
    assert "How adherent" in reply
    session = page.evaluate("JSON.parse(sessionStorage.getItem('cds-chat')).session")
    page.reload()
    page.wait_for_selector("#status >> text=Connected.")
    assert "How adherent" in page.locator(".msg.bot").last.inner_text()  # the question the server still holds
    assert page.evaluate("JSON.parse(sessionStorage.getItem('cds-chat')).session") == session
    reply = tell(page, "never misses")  # the server continues the same form: screen and server agree
    assert "How adherent" not in reply and ("tolerability" in reply or "resistance or failure" in reply), reply
    shot(page, "webchat-e2e-reload.png")
    assert not page.errors


def test_a_reply_set_of_the_real_assistant_closes_once_used(servers, open_page):
    page = open_page(widget(servers))
    tell(page, "which level?")  # unclear: the topics it may mean come as buttons
    replies = page.locator(".replies").last
    assert replies.locator("button").count() >= 2
    replies.locator("button").first.click()
    page.wait_for_selector(".msg.bot >> text=References:", timeout=30000)
    assert all(b.is_disabled() for b in replies.locator("button").all())
    assert replies.locator("button.chosen").count() == 1
    assert not page.errors


def test_a_real_trough_card_in_the_widget(servers, open_page):
    """The issue's case, trough without BCR-ABL1, as the server sends it today: a card with its references."""
    page = open_page(widget(servers))
    card = until_card(page, "Trough imatinib level 1.2 µmol/L on 400 mg once daily, 24 months on treatment")
    assert "Trough level (TDM)" in card.locator(".rec-head h2").inner_text()
    assert DISCLAIMER in card.inner_text() and card.locator(".refs li").count() >= 1
    for link in card.locator("a.cite").all():
        assert card.locator(link.get_attribute("href")).count() == 1
    assert "bcr abl1 is" not in card.inner_text().lower()  # never a field name on screen
    card.scroll_into_view_if_needed()
    shot(page, "webchat-e2e-trough-card.png", element=card)
    assert not page.errors


# --- the card contract, end to end ---------------------------------------------------------------------------


def test_closed_questions_come_as_quick_replies(servers, open_page):
    page = open_page(widget(servers))
    tell(page, "Can I reduce the dose? 400 mg for 5 years, BCR-ABL1 0.008 %, MMR for 30 months, grade 2 oedema")
    reply = tell(page, "never misses")
    assert "neither" in reply.lower()  # tolerability / TFR / neither
    replies = page.locator(".replies:not(.closed)").last
    titles = [b.inner_text().lower() for b in replies.locator("button").all()]
    assert "neither" in titles, titles
    before = page.locator("#log > :not(.msg.user)").count()
    replies.get_by_role("button", name="Neither", exact=False).first.click()
    settle(page, before)
    assert "could not read" not in page.locator(".msg.bot").last.inner_text().lower()  # 'neither' is accepted
    assert not page.errors


def test_a_real_card_has_based_on_a_note_and_its_buttons(servers, open_page):
    page = open_page(widget(servers), permissions=["clipboard-read", "clipboard-write"])
    card = until_card(page, "Trough imatinib level 1.2 µmol/L on 400 mg once daily, 24 months on treatment")
    based = card.locator(".based-on")
    assert based.count() == 1, card.inner_text()
    assert "590 ng/mL" in based.inner_text() and "converted from 1.2 µmol/L" in based.inner_text()  # 592.32
    assert "1000 ng/mL" in card.inner_text()  # the trough against the threshold, on the card
    titles = [b.inner_text() for b in card.locator(".card-actions button").all()]
    assert titles == ["Why?", "Sources", "New patient", "Copy as note", "Copy full note"], titles
    assert card.locator(".bottom-line").count() == 1  # the decision in one sentence, under the title
    card.get_by_role("button", name="Copy as note").click()
    page.wait_for_function("[...document.querySelectorAll('.copy-status')].some(s => s.textContent === 'Copied')")
    note = page.evaluate("navigator.clipboard.readText()")
    assert "trough 590 ng/mL" in note and "not a substitute for clinical judgement" in note and len(note) < 700
    before = page.locator("#log > :not(.msg.user)").count()
    card.get_by_role("button", name="Why?").click()
    settle(page, before)
    assert page.locator(".msg.user").last.inner_text() == "Why?"
    assert "TDM" in page.locator(".msg.bot").last.inner_text()  # about this card's rules
    card.scroll_into_view_if_needed()
    shot(page, "webchat-e2e-card-contract.png", element=card)
    assert not page.errors


def test_a_series_of_results_is_drawn(servers, open_page):
    page = open_page(widget(servers), "phone")
    card = until_card(
        page, "BCR-ABL1 12 % at 3 months, 2 % at 6, 0.5 % at 12 and 0.08 % at 18 months on imatinib 400 mg"
    )
    chart = card.locator("svg.chart")
    assert chart.count() == 1, card.inner_text()
    assert card.locator(".chart .pt").count() == 4 and card.locator(".series-table tbody tr").count() == 4
    assert "12 % at 3 months" in chart.get_attribute("aria-label")
    card.locator("figure.series").scroll_into_view_if_needed()
    shot(page, "webchat-e2e-series-phone.png")
    assert not page.errors


def test_new_patient_ends_the_open_form_on_the_server(servers, open_page):
    page = open_page(widget(servers))
    tell(page, "Can I reduce the dose? 400 mg for 5 years, BCR-ABL1 0.008 %, MMR for 30 months, grade 2 oedema")
    page.click("#new-patient")
    page.get_by_role("button", name="Clear and start").click()
    assert page.locator(".msg.user").count() == 0 and page.locator("[data-testid=welcome]").is_visible()
    settle(page, 2)  # the welcome and its examples, then the server's answer
    assert "How adherent" not in page.inner_text("#log")  # the old form is closed, not asked again
    reply = tell(page, "never misses")
    assert "tolerability" not in reply and "resistance or failure" not in reply, reply
    assert not page.errors


THREE_CARDS = {  # the same three cards, screenshot on every run (test-artifacts/card-<name>-<size>.png)
    "reduction": "Can I reduce? 400 mg od for 5 years, BCR-ABL1 0.008 %, MMR for 30 months, adherence 98 %, grade 2 "
    "oedema, goal tolerability, no mutations, no earlier TKI failure",
    "trough": "12 months on imatinib 400 mg once daily, BCR-ABL1 2 %, adherence 99 %: trough 1.6 µmol/L 24 h after the "
    "dose, 30 days on this dose, no side effects",
    "series": "response check: BCR-ABL1 12 % at 3 months, 2 % at 6 months, 0.5 % at 12 months, 0.08 % at 18 months",
}


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_three_real_cards_are_shown_whole_on_a_desktop_and_a_phone(servers, open_page, size):
    for name, first in THREE_CARDS.items():
        page = open_page(widget(servers), size)
        card = until_card(page, first)
        assert card.locator("h2").count() == 1 and card.locator(".rec-disclaimer").is_visible()
        shot(page, f"card-{name}-{size}.png", element=card)
        assert not page.errors
