"""The web widget in a real browser: headless Chromium driven by Playwright against the running servers.

A full dose-reduction conversation by typing and clicking; the recommendation card and its numbered
citations must appear. The screenshot is kept in test-artifacts/ as the test's artefact.
"""

import pytest
from webchat_helpers import ARTIFACTS

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
    page.fill("#message", "sample tube thing")  # unclear: the closest topics come as buttons
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
