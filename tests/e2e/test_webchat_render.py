"""The web widget's rendering, deterministically: Chromium against a fake web chat server
(harness/fake_webchat.py) that emits contract-shaped bot messages from tests/fixtures/webchat/.

No model and no NLU: each test sends a scripted message and checks what the widget does with the exact
reply (the card, its citations and references, Based on, the series chart, buttons, copy as note, quick
replies, keyboard, reload, new patient, welcome, typing indicator, dark mode, the phone header, print).
Screenshots go to test-artifacts/webchat-*.png and test-artifacts/webchat-print.pdf.
"""

import json
import math
import re

import pytest
from helpers import ROOT
from webchat_helpers import ARTIFACTS, COLOURS_JS, PHONE, contrast, luminance, say, shot

from harness.fake_webchat import FakeWebChat, fixture

SCRIPT = {
    "trough case": fixture("card_tdm"),
    "series case": fixture("card_series_response"),
    "after reduction": fixture("card_series_reduction"),
    "old card": fixture("card_legacy"),
    "goal?": fixture("question_goal"),
    "dosing?": fixture("question_dosing"),
    "neither": fixture("question_dosing"),
    "unsafe": fixture("unsafe"),
    '/why{"card_id":"r3"}': fixture("why_r3"),
    '/sources{"card_id":"r3"}': [{"text": "Sources of card r3: [1] Picard S, et al. Blood 2007;109:3496-3499."}],
    "/new_patient": fixture("new_patient"),
}
NOTE = fixture("card_tdm")[0]["custom"]["note"]
pytest_plugins = ["webchat_browser"]  # browser, open_page


@pytest.fixture(scope="module")
def server():
    fake = FakeWebChat().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake(server):
    server.replies, server.default, server.delay = dict(SCRIPT), [{"text": "Noted."}], 0.0
    return server


def ask(page, text, count=1, selector=".msg.bot"):
    """Send ``text`` and wait until ``count`` more elements match ``selector``."""
    before = page.locator(selector).count()
    say(page, text)
    page.wait_for_function(f"document.querySelectorAll('{selector}').length >= {before + count}")


def session_of(page):
    return page.evaluate("JSON.parse(sessionStorage.getItem('cds-chat')).session")


def stored(page):
    return page.evaluate("JSON.parse(sessionStorage.getItem('cds-chat')).items")


def card(page, card_id):
    return page.locator(f"[data-card-id='{card_id}']")


def in_view(page, locator):
    box, log = locator.bounding_box(), page.locator("#log").bounding_box()
    return box and log["y"] - 1 <= box["y"] and box["y"] + min(box["height"], 40) <= log["y"] + log["height"] + 1


# --- the card ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_card_shows_every_part_of_a_recommendation(fake, open_page, size):
    page = open_page(fake.url, size)
    ask(page, "trough case", selector="[data-testid=recommendation]")
    c = card(page, "r3")
    assert c.locator(".rec-head h2").inner_text() == "Trough level (TDM)"
    recs = c.locator("section.card")
    assert recs.count() == 2
    assert recs.nth(0).get_attribute("class") == "card warning" and recs.nth(1).get_attribute("class") == "card info"
    assert recs.nth(0).locator(".badge").inner_text().upper() == "WARNING"
    warning, info = (recs.nth(i).evaluate("e => getComputedStyle(e).borderLeftColor") for i in (0, 1))
    assert warning != info  # the indicator's colour, and its word in the badge
    assert "below the 1000 ng/mL target" in recs.nth(0).locator("h3").inner_text()
    assert "The response is not known" in recs.nth(0).locator(".detail strong").inner_text()
    assert (
        recs.nth(0).locator(".meta").nth(0).inner_text()
        == "Options: Repeat the trough 24 h (± 2 h) after the last dose"
    )
    assert recs.nth(0).locator(".meta.avoid").inner_text() == "Avoid: Escalating on the level alone"
    # citations: [picard-2007; larson-2008] → [1][2]; every number links to its entry in this card
    cites = c.locator(".detail a.cite")
    assert [cites.nth(i).inner_text() for i in range(cites.count())] == ["[1]", "[2]", "[3]", "[4]", "[5]"]
    for i in range(cites.count()):
        href = cites.nth(i).get_attribute("href")
        entry = c.locator(href)
        assert entry.count() == 1 and entry.get_attribute("value") == cites.nth(i).inner_text().strip("[]")
    assert c.locator(".missing").inner_text() == "Still needed: BCR-ABL1 result (% IS)"  # never a field name
    based = [li.inner_text() for li in c.locator(".based-on li").all()]
    assert based[0].startswith("Trough level: 592 ng/mL") and based[0].endswith("converted from 1.2 µmol/L")
    assert [li.locator(".tag").inner_text() for li in c.locator(".based-on li").all()][1:] == [
        "you wrote",
        "you wrote",
        "assumed: not given",
    ]
    assert c.locator(".assumptions li").count() == 2
    refs = c.locator(".refs li")
    assert refs.count() == 5 and refs.nth(0).inner_text().startswith("Picard S, et al. Trough imatinib")
    assert refs.nth(0).locator("a:not(.back)").count() == 0  # no identifier in the registry: no link
    link = refs.nth(2).locator("a:not(.back)")
    assert link.get_attribute("href") == "https://pubmed.ncbi.nlm.nih.gov/32127639/"
    assert link.get_attribute("target") == "_blank" and link.get_attribute("rel") == "noopener"
    disclaimer = c.locator(".rec-disclaimer")
    assert "not a substitute for clinical judgement" in disclaimer.inner_text() and disclaimer.is_visible()
    buttons = c.locator(".card-actions button")
    assert [b.inner_text() for b in buttons.all()] == ["Why?", "Sources", "New patient", "Copy as note"]
    c.scroll_into_view_if_needed()
    shot(page, f"webchat-card-{size}.png", element=c if size == "desktop" else None)
    if size == "phone":  # nothing wider than the phone
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert c.bounding_box()["width"] <= PHONE["width"]
    assert not page.errors


def test_a_card_in_the_older_shape_still_renders(fake, open_page):
    """References as an object key → text, no title, Based on, note or buttons (the server before issue 14)."""
    page = open_page(fake.url)
    ask(page, "old card", selector="[data-testid=recommendation]")
    c = page.locator("[data-testid=recommendation]").last
    assert c.locator(".rec-head h2").inner_text() == "Dose reduction"
    refs = c.locator(".refs li")
    assert refs.count() == 5 and refs.nth(1).inner_text().startswith("Clark RE, et al. De-escalation")
    assert (
        refs.nth(4).locator("a:not(.back)").get_attribute("href") == "https://pubmed.ncbi.nlm.nih.gov/20385986/"
    )  # its PMID
    first = c.locator("section.card").first.locator(".detail a.cite")
    assert [a.inner_text() for a in first.all()] == ["[2]", "[3]", "[1]"]  # numbered in the order of the references
    for a in c.locator("a.cite").all():
        assert c.locator(a.get_attribute("href")).count() == 1
    assert c.locator(".based-on").count() == 0 and c.locator(".card-actions").count() == 0
    assert "not a substitute for clinical judgement" in c.locator(".rec-disclaimer").inner_text()
    assert not page.errors


def test_card_buttons_send_their_payloads_and_show_their_titles(fake, open_page):
    page = open_page(fake.url)
    ask(page, "trough case", selector="[data-testid=recommendation]")
    c = card(page, "r3")
    before = page.locator(".msg.bot").count()
    c.get_by_role("button", name="Why?").click()
    page.wait_for_function(f"document.querySelectorAll('.msg.bot').length > {before}")
    assert page.locator(".msg.user").last.inner_text() == "Why?"
    assert "Why (card r3)" in page.locator(".msg.bot").last.inner_text()
    c.get_by_role("button", name="Sources").click()
    page.wait_for_selector(".msg.bot >> text=Sources of card r3")
    assert page.locator(".msg.user").last.inner_text() == "Sources"
    assert fake.sent(session_of(page))[-2:] == ['/why{"card_id":"r3"}', '/sources{"card_id":"r3"}']
    assert c.get_by_role("button", name="Why?").is_enabled()  # card buttons stay usable
    assert not page.errors


def test_copy_as_note_puts_the_note_on_the_clipboard(fake, open_page):
    page = open_page(fake.url, permissions=["clipboard-read", "clipboard-write"])
    ask(page, "trough case", selector="[data-testid=recommendation]")
    c = card(page, "r3")
    status = c.locator(".copy-status")
    assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") == "status"
    c.get_by_role("button", name="Copy as note").click()
    page.wait_for_function("document.querySelector('.copy-status').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == NOTE
    assert not page.errors


def test_copy_as_note_without_the_clipboard_api_uses_the_fallback(fake, open_page):
    hide = (
        "window.realClipboard = navigator.clipboard;"
        "Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined, configurable: true});"
    )
    page = open_page(
        fake.url, permissions=["clipboard-read", "clipboard-write"], before=lambda p: p.add_init_script(hide)
    )
    assert page.evaluate("navigator.clipboard === undefined")
    ask(page, "trough case", selector="[data-testid=recommendation]")
    copy = card(page, "r3").get_by_role("button", name="Copy as note")
    copy.focus()
    page.keyboard.press("Enter")  # by keyboard, too
    page.wait_for_function("document.querySelector('.copy-status').textContent === 'Copied'")
    assert page.evaluate("window.realClipboard.readText()") == NOTE
    assert page.evaluate("document.activeElement.textContent") == "Copy as note"  # focus stays on the button
    assert page.locator("textarea").count() == 0
    assert not page.errors


# --- citations and keyboard ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_enter_on_a_citation_moves_the_focus_to_its_reference(fake, open_page, size):
    page = open_page(fake.url, size)
    ask(page, "trough case", selector="[data-testid=recommendation]")
    ask(page, "old card", selector="[data-testid=recommendation]")
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids))  # two cards, ids unique
    c = card(page, "r3")
    cite = c.locator(".detail a.cite", has_text="[2]")
    cite.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'ref-r3-2'")
    target = page.locator("#ref-r3-2")
    assert target.get_attribute("tabindex") == "-1" and in_view(page, target)
    assert "Larson RA" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Tab")  # on from the entry: its way back to where it is cited
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Back to where reference 2 is cited"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'ref-r3-c2'")  # the first [2] of the card
    assert page.evaluate("document.activeElement.textContent") == "[2]"
    # click on the other card's [1]: its own entry, not the first card's
    other = page.locator("[data-testid=recommendation]").last
    other.locator(".detail a.cite", has_text="[1]").first.click()
    active = page.evaluate("document.activeElement.id")
    assert active.endswith("-1") and active != "ref-r3-1" and other.locator("#" + active).count() == 1
    assert page.url.endswith("/ui/")  # the address does not change
    shot(page, f"webchat-citation-{size}.png")
    assert not page.errors


def test_a_whole_question_is_answered_by_keyboard_with_visible_focus(fake, open_page):
    page = open_page(fake.url)
    ask(page, "goal?", selector=".replies")
    page.focus("#message")
    page.keyboard.press("Shift+Tab")  # from the composer back into the conversation: the last reply
    assert page.evaluate("document.activeElement.textContent") == "Neither"
    focus = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()"
    )
    assert focus == ["solid", "3px"]
    page.keyboard.press("Enter")
    page.wait_for_selector(".msg.bot >> text=once or twice daily")
    assert page.locator(".msg.user").last.inner_text() == "Neither"
    assert fake.sent(session_of(page))[-1] == "neither"
    assert page.evaluate("document.activeElement.id") == "message"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")  # Space works too
    page.wait_for_function("document.querySelectorAll('.msg.user').length === 3")
    assert page.locator(".msg.user").last.inner_text() == "Twice daily"
    assert not page.errors


# --- quick replies -------------------------------------------------------------------------------------------


def test_a_reply_set_closes_once_a_reply_is_chosen_or_the_user_types(fake, open_page):
    page = open_page(fake.url)
    ask(page, "goal?", selector=".replies")
    first = page.locator(".replies").nth(0)
    assert [b.inner_text() for b in first.locator("button").all()] == ["Tolerability", "TFR", "Neither"]
    assert all(b.is_enabled() for b in first.locator("button").all())
    first.get_by_role("button", name="Neither").click()
    page.wait_for_selector(".msg.bot >> text=once or twice daily")
    assert all(b.is_disabled() for b in first.locator("button").all())
    assert first.locator("button.chosen").inner_text() == "Neither"
    assert first.locator("button.chosen").get_attribute("aria-pressed") == "true"
    second = page.locator(".replies").nth(1)
    ask(page, "once a day")  # typed instead of a button
    assert all(b.is_disabled() for b in second.locator("button").all())
    assert second.locator("button.chosen").count() == 0
    assert fake.sent(session_of(page))[-3:] == ["goal?", "neither", "once a day"]
    assert not page.errors


# --- the series ----------------------------------------------------------------------------------------------


def chart_geometry(page, card_id):
    return page.evaluate(
        """(id) => {
      const c = document.querySelector(`[data-card-id='${id}']`);
      const num = (e, a) => parseFloat(e.getAttribute(a));
      return {
        ticks: [...c.querySelectorAll('.tick')].map(t => t.textContent),
        grid: [...c.querySelectorAll('.grid')].map(l => num(l, 'y1')),
        points: [...c.querySelectorAll('.pt')].map(p => {
          const b = p.getBBox(); return [p.getAttribute('class'), b.x + b.width / 2, b.y + b.height / 2];
        }),
        lines: [...c.querySelectorAll('.ref-line')].map(l => [num(l, 'y1'), getComputedStyle(l).strokeDasharray]),
        bands: [...c.querySelectorAll('rect.band')].map(r => [r.getAttribute('class'), r.textContent]),
        trend: c.querySelector('.trend').getAttribute('points').trim().split(/\\s+/).length,
      };
    }""",
        card_id,
    )


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_series_is_drawn_on_a_log_scale_with_lines_milestones_and_a_table(fake, open_page, size):
    page = open_page(fake.url, size)
    ask(page, "series case", selector="[data-testid=recommendation]")
    c = card(page, "r1")
    svg = c.locator("svg.chart")
    assert svg.get_attribute("role") == "img"
    label = svg.get_attribute("aria-label")
    for part in ("log scale", "12 % at 3 months (warning)", "0.08 % at 18 months (optimal)", "MMR 0.1 %", "MR4 0.01 %"):
        assert part in label
    g = chart_geometry(page, "r1")
    y_ticks = dict(zip([t for t in g["ticks"] if t.endswith("%")], g["grid"], strict=True))  # label → its line
    assert list(y_ticks) == ["0.001 %", "0.01 %", "0.1 %", "1 %", "10 %", "100 %"]  # decades, 0.001 % to 100 %
    ys = list(y_ticks.values())
    steps = [ys[i] - ys[i + 1] for i in range(len(ys) - 1)]
    assert max(steps) - min(steps) < 0.01 and steps[0] > 0  # equal spacing per decade: a log scale
    decade = steps[0]

    def y_of(value):
        return y_ticks["1 %"] - math.log10(value) * decade

    expected = [("warning", 12.0), ("warning", 2.0), ("warning", 0.5), ("optimal", 0.08)]
    assert [p[0] for p in g["points"]] == ["pt " + s for s, _ in expected]
    for (cls, _, cy), (_, value) in zip(g["points"], expected, strict=True):
        assert abs(cy - y_of(value)) < 0.6, (cls, cy, y_of(value))
    xs = [p[1] for p in g["points"]]
    assert xs == sorted(xs) and abs((xs[1] - xs[0]) - (xs[2] - xs[1]) / 2) < 0.6  # months 3, 6, 12: linear x
    assert g["trend"] == 4  # the points are joined
    assert [(round(y - y_of(v), 1), dash != "none") for (y, dash), v in zip(g["lines"], (0.1, 0.01), strict=True)] == [
        (0.0, True),
        (0.0, True),
    ]
    zones = [cls.split()[1] for cls, _ in g["bands"]]
    assert zones == ["optimal", "warning"] + ["optimal", "warning", "failure"] * 2  # no failure zone at 3 months
    assert "6 months: failure > 10 %" in [t for _, t in g["bands"]]
    assert "12 months: optimal ≤ 0.1 %" in [t for _, t in g["bands"]]
    legend = c.locator(".legend").inner_text()
    assert "Optimal" in legend and "Warning" in legend and "Failure" in legend  # words, not colour alone
    rows = [[td.inner_text() for td in tr.locator("td").all()] for tr in c.locator(".series-table tbody tr").all()]
    assert rows == [
        ["3", "12 %", "warning"],
        ["6", "2 %", "warning"],
        ["12", "0.5 %", "warning"],
        ["18", "0.08 %", "optimal"],
    ]
    assert c.locator(".series-table caption").inner_text() == "BCR-ABL1 results"
    c.locator("figure.series").scroll_into_view_if_needed()
    if size == "phone":
        box, tick = svg.bounding_box(), c.locator(".tick").first.bounding_box()
        assert box["width"] <= c.bounding_box()["width"] and box["width"] >= 300  # the card's width, readable
        assert tick["height"] >= 9  # tick labels at least ~10 px high on a 390 px screen
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, f"webchat-series-{size}.png", element=c.locator("figure.series") if size == "desktop" else None)
    assert not page.errors


def test_a_rise_is_stated_under_the_chart(fake, open_page):
    page = open_page(fake.url, "phone")
    ask(page, "after reduction", selector="[data-testid=recommendation]")
    c = card(page, "r2")
    assert c.locator("figcaption").inner_text() == "About 4-fold rise since the previous result"
    assert "About 4-fold rise since the previous result." in c.locator("svg.chart").get_attribute("aria-label")
    g = chart_geometry(page, "r2")
    assert [p[0] for p in g["points"]] == ["pt unknown", "pt optimal"]  # the earlier result is at no milestone
    assert g["points"][1][2] < g["points"][0][2]  # the newer, higher result is drawn higher
    assert c.locator(".series-table tbody tr").first.locator("td").last.inner_text() == "not at a milestone"
    tags = [li.locator(".tag").inner_text() for li in c.locator(".based-on li").all()]
    assert tags == ["you wrote", "you wrote", "implied by MR4 for 60 months"]  # a value another one implies says which
    c.locator("figure.series").scroll_into_view_if_needed()
    shot(page, "webchat-series-rise-phone.png")
    assert not page.errors


# --- safety of what is rendered ------------------------------------------------------------------------------


def test_markdown_and_payloads_are_escaped_and_only_http_links_are_made(fake, open_page):
    page = open_page(fake.url)
    ask(page, "unsafe", count=1, selector="[data-testid=recommendation]")
    assert page.evaluate("window.pwned") is None
    assert (
        page.locator("#log img, #log script, #log svg:not(.chart), #log b, #log [onerror], #log [onload]").count() == 0
    )
    text = page.locator(".msg.bot").nth(1)  # after the welcome
    assert '<img src=x onerror="window.pwned=1">' in text.inner_text() and text.locator("strong").inner_text() == "bold"
    hrefs = page.evaluate("[...document.querySelectorAll('#log a')].map(a => a.getAttribute('href'))")
    assert hrefs and all(re.match(r"^(https?://|#ref-|#card-[A-Za-z0-9_-]+-actions$)", h) for h in hrefs), hrefs
    assert "https://example.org/a?b=1&c=2" in hrefs
    ok = page.locator("#log a", has_text="ok").first
    assert ok.get_attribute("rel") == "noopener" and ok.get_attribute("target") == "_blank"
    c = page.locator("[data-testid=recommendation]")
    assert re.fullmatch(r"card-[A-Za-z0-9_-]+", c.get_attribute("id"))
    assert c.locator(".rec-head h2").inner_text() == "<b onmouseover=window.pwned=5>T</b>"
    assert c.locator(".refs li").first.locator("a:not(.back)").count() == 0  # a javascript: URL is not linked
    assert not page.errors


# --- the conversation: welcome, typing, reload, new patient ------------------------------------------------------


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_an_empty_conversation_shows_a_welcome_with_three_examples(fake, open_page, size):
    page = open_page(fake.url, size)
    welcome = page.locator("[data-testid=welcome]")
    assert welcome.is_visible() and "For example" in welcome.inner_text()
    examples = page.locator(".examples button")
    assert examples.count() == 3
    texts = [b.inner_text() for b in examples.all()]
    assert any("Trough" in t for t in texts) and any("reduce" in t for t in texts) and any("?" in t for t in texts)
    for b in examples.all():
        assert b.is_visible() and b.bounding_box()["x"] + b.bounding_box()["width"] <= page.viewport_size["width"]
    shot(page, f"webchat-welcome-{size}.png")
    examples.nth(2).click()
    page.wait_for_selector(".msg.bot >> text=Noted.")
    assert page.locator(".msg.user").inner_text() == texts[2]
    assert fake.sent(session_of(page)) == [texts[2]]
    assert all(b.is_disabled() for b in examples.all())
    assert not page.errors


def test_the_typing_indicator_shows_until_the_reply(fake, open_page):
    fake.delay = 1.0
    page = open_page(fake.url)
    say(page, "goal?")
    page.wait_for_selector("[data-testid=typing]", timeout=500)  # at once
    assert "replying" in page.locator("[data-testid=typing]").inner_text()
    page.wait_for_selector(".msg.bot >> text=tolerability")
    assert page.locator("[data-testid=typing]").count() == 0
    assert page.locator("#log > :last-child").get_attribute("class") == "replies"  # above nothing it should follow
    assert not page.errors


def test_the_typing_indicator_gives_up_after_30_seconds(fake, open_page):
    fake.default = None  # no reply at all
    page = open_page(fake.url, before=lambda p: p.clock.install())
    say(page, "anyone there?")
    page.wait_for_selector("[data-testid=typing]")
    page.clock.run_for(29000)
    assert page.locator("[data-testid=typing]").count() == 1
    page.clock.run_for(2000)
    assert page.locator("[data-testid=typing]").count() == 0
    assert page.inner_text("#status").startswith("No reply yet")
    assert not page.errors


def test_a_reload_restores_the_conversation_and_its_session(fake, open_page):
    page = open_page(fake.url)
    ask(page, "trough case", selector="[data-testid=recommendation]")
    ask(page, "goal?", selector=".replies")
    session = session_of(page)

    def screen():
        return [m.inner_text() for m in page.locator("#log .msg:not(.welcome)").all()]

    before = screen()
    page.reload()
    page.wait_for_selector("#status >> text=Connected.")
    assert screen() == before  # the open question is on screen again
    assert session_of(page) == session and fake.sessions[-1] == session  # the same conversation on the server
    assert page.locator("[data-testid=welcome]").count() == 0
    replies = page.locator(".replies").last
    assert all(b.is_enabled() for b in replies.locator("button").all())  # still open: nothing answered it
    assert page.locator("#log").evaluate("l => l.scrollTop + l.clientHeight >= l.scrollHeight - 2")
    card(page, "r3").locator(".detail a.cite", has_text="[3]").click()  # a restored card works
    assert page.evaluate("document.activeElement.id") == "ref-r3-3"
    replies.get_by_role("button", name="Neither").click()
    page.wait_for_selector(".msg.bot >> text=once or twice daily")
    assert fake.received[-1] == {"message": "neither", "session_id": session}
    page.reload()
    page.wait_for_selector("#status >> text=Connected.")
    answered = page.locator(".replies").nth(0)  # an answered question stays answered after a reload
    assert (
        answered.locator("button.chosen").inner_text() == "Neither" and answered.locator("button").first.is_disabled()
    )
    assert not page.errors


def test_the_kept_conversation_is_bounded(fake, open_page):
    page = open_page(fake.url)
    ask(page, "trough case", selector="[data-testid=recommendation]")
    fake.push(session_of(page), [{"text": f"message {i}"} for i in range(150)])
    page.wait_for_selector(".msg.bot >> text=message 149")
    items = stored(page)
    assert len(items) == 80 and items[-1] == {"b": {"text": "message 149"}}
    page.reload()
    page.wait_for_selector("#status >> text=Connected.")
    assert page.locator("#log .msg").count() == 80 and page.locator("#log .msg").last.inner_text() == "message 149"
    assert not page.errors


@pytest.mark.parametrize("where", ["header", "card"])
def test_new_patient_clears_the_screen_after_telling_the_server(fake, open_page, where):
    page = open_page(fake.url)
    ask(page, "trough case", selector="[data-testid=recommendation]")
    ask(page, "goal?", selector=".replies")

    def press():
        if where == "header":
            page.click("#new-patient")
        else:
            card(page, "r3").get_by_role("button", name="New patient").click()
        confirm = page.get_by_role("alertdialog")
        assert "clears the conversation on screen" in confirm.inner_text()
        assert page.evaluate("document.activeElement.textContent") == "Clear and start"  # the choice has the focus
        return confirm

    press().get_by_role("button", name="Keep this conversation").click()  # asked first: nothing is lost by a slip
    assert page.get_by_role("alertdialog").count() == 0 and page.locator("[data-testid=recommendation]").count() == 1
    assert "/new_patient" not in fake.sent(session_of(page))
    press().get_by_role("button", name="Clear and start").click()
    page.wait_for_selector(".msg.bot >> text=previous case is closed")
    assert fake.sent(session_of(page))[-1] == "/new_patient"
    assert page.locator("[data-testid=recommendation]").count() == 0 and page.locator(".msg.user").count() == 0
    assert page.locator("[data-testid=welcome]").is_visible()  # an empty conversation again
    assert stored(page) == [{"b": fixture("new_patient")[0]}]
    assert page.evaluate("document.activeElement.id") == "message"
    page.reload()
    page.wait_for_selector("#status >> text=Connected.")
    assert page.locator("#log .msg").count() == 1
    assert not page.errors


# --- dark mode, the phone header, print ----------------------------------------------------------------------

TEXT = [
    "#title",
    ".disclaimer",
    ".status",
    ".new-patient",
    ".msg.user",
    ".msg.bot p",
    ".replies button:not(:disabled)",
    ".replies button.chosen",
    ".composer input",
    ".composer button",
    ".rec-head h2",
    ".rec-status",
    "section.card h3",
    ".card .badge",
    ".detail p",
    "a.cite",
    ".rec .meta",
    ".rec .missing",
    ".bo-label",
    ".tag",
    ".assumptions li",
    ".refs li",
    ".refs a",
    ".rec-disclaimer",
    ".card-actions button",
    "figcaption",
    ".legend li",
    ".series-table th",
    ".series-table td",
    ".chart .tick",
    ".chart .axis-title",
    ".chart .ref-label",
]


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_every_text_has_4_5_to_1_contrast_in_both_colour_schemes(fake, open_page, scheme):
    page = open_page(fake.url, color_scheme=scheme)
    ask(page, "trough case", selector="[data-testid=recommendation]")
    ask(page, "series case", selector="[data-testid=recommendation]")
    ask(page, "goal?", selector=".replies")
    page.locator(".replies").last.get_by_role("button", name="Neither").click()
    page.wait_for_selector(".msg.bot >> text=once or twice daily")
    colours = page.evaluate(COLOURS_JS, TEXT)
    assert {c["selector"] for c in colours} == set(TEXT)  # every kind of text was on screen
    low = [(c["selector"], c["text"], round(contrast(c["fg"], c["bg"]), 2)) for c in colours]
    assert [x for x in low if x[2] < 4.5] == []
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    dark = luminance([int(v) for v in re.findall(r"\d+", background)[:3]]) < 0.05
    assert dark == (scheme == "dark")
    if scheme == "dark":
        page.locator("[data-card-id='r3']").scroll_into_view_if_needed()
        shot(page, "webchat-dark.png")
        shot(page, "webchat-dark-card.png", element=page.locator("[data-card-id='r3']"))
    assert not page.errors


def test_on_a_phone_the_header_is_compact_and_the_disclaimer_stays_visible(fake, open_page):
    page = open_page(fake.url, "phone")
    ask(page, "trough case", selector="[data-testid=recommendation]")
    ask(page, "series case", selector="[data-testid=recommendation]")  # a long conversation: the log scrolls
    header = page.locator("header.top").bounding_box()
    assert header["y"] >= 0 and header["y"] + header["height"] <= 0.15 * PHONE["height"], header
    title = page.locator("#title")
    line = title.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert title.bounding_box()["height"] <= line + 1  # the title on one line
    disclaimer = page.locator("#disclaimer")
    box = disclaimer.bounding_box()
    assert disclaimer.is_visible() and box["y"] >= 0 and box["y"] + box["height"] <= header["y"] + header["height"]
    assert box["height"] <= 3 * 0.8 * 16 * 1.3 + 8  # three lines at most
    assert "not a substitute for clinical judgement" in disclaimer.inner_text()
    new = page.locator("#new-patient").bounding_box()  # New patient stays in the header, on screen
    assert new["x"] + new["width"] <= PHONE["width"] and new["y"] + new["height"] <= header["y"] + header["height"]
    composer = page.locator("#composer").bounding_box()
    assert composer["y"] + composer["height"] <= PHONE["height"]  # and the composer is on screen
    log = page.locator("#log").bounding_box()
    assert log["height"] >= 0.6 * PHONE["height"]  # most of the screen is the conversation
    shot(page, "webchat-header-phone.png")
    assert not page.errors


def test_print_shows_the_whole_conversation_without_the_composer(fake, open_page):
    page = open_page(fake.url)
    for text in ("trough case", "series case", "after reduction"):
        ask(page, text, selector="[data-testid=recommendation]")
    ask(page, "goal?", selector=".replies")
    page.emulate_media(media="print")
    style = page.evaluate(
        """() => {
      const css = (s, p) => getComputedStyle(document.querySelector(s))[p];
      const log = document.querySelector('#log');
      return { composer: css('#composer', 'display'), overflow: css('#log', 'overflowY'),
               clipped: log.scrollHeight - log.clientHeight, page: document.documentElement.scrollHeight,
               lastBottom: [...log.children].pop().getBoundingClientRect().bottom + window.scrollY,
               buttons: [...document.querySelectorAll('.card-actions, .replies, #new-patient')]
                          .filter(e => getComputedStyle(e).display !== 'none').length,
               avoid: css('section.card', 'breakInside'), series: css('figure.series', 'breakInside'),
               link: getComputedStyle(document.querySelector('.refs a[href^="http"]'), '::after').content };
    }"""
    )
    assert style["composer"] == "none" and style["buttons"] == 0
    assert style["overflow"] == "visible" and style["clipped"] <= 1  # nothing cut at the scroll area
    assert style["page"] > 2 * 1400 and style["lastBottom"] <= style["page"]  # the page is as long as the chat
    assert style["avoid"] == "avoid" and style["series"] == "avoid"
    assert "pubmed" in style["link"]  # printed references keep their address
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # what the browser sends before printing
    head = page.locator("#print-head")
    assert head.is_visible() and re.search(r"^Printed .*\d{1,2}:\d{2}", head.inner_text()), head.inner_text()
    assert re.search(r"rule set 20\d\d\.\d+", head.inner_text()) and "not a substitute" in head.inner_text()
    css = (ROOT / "web" / "chat.css").read_text()
    assert re.search(r"@page \{[^}]*@bottom-right \{ content: \"Page \" counter\(page\) \" of \" counter\(pages\)", css)
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / "webchat-print.pdf"), format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 3, pages
    page.emulate_media(media="screen")
    assert page.locator("#composer").is_visible()
    assert not page.errors


def test_every_message_carries_the_confirmed_session_id(fake, open_page):
    """A message sent before the session is confirmed waits for it (it is never sent without a session id)."""
    page = open_page(fake.url)
    session = session_of(page)
    assert session and all(d.get("session_id") for d in fake.received)
    ask(page, "hello")
    assert fake.received[-1] == {"message": "hello", "session_id": session}
    assert json.loads(page.evaluate("sessionStorage.getItem('cds-chat')"))["items"][0] == {"u": "hello"}


def test_a_link_from_the_ehr_opens_the_chat_on_its_case_once(fake, open_page):
    """The CDS Hooks cards link to "#say=<message>": sent once as the first message, then gone from the address
    (the fragment never reaches a server, so the patient's values are in no server log)."""
    from urllib.parse import quote

    message = "Trough 850 ng/mL 23 h after the dose, on 400 mg once daily for 3 weeks"
    page = open_page(fake.url + "#say=" + quote(message))
    page.wait_for_function("document.querySelectorAll('.msg.user').length >= 1")
    assert page.locator(".msg.user").first.inner_text() == message
    assert page.evaluate("window.location.hash") == ""
    deadline = 50
    while not any(d.get("message") == message for d in fake.received) and deadline:
        page.wait_for_timeout(100)
        deadline -= 1
    assert [d["message"] for d in fake.received if d.get("message") == message] == [message]
    sent = [d["message"] for d in fake.received]
    assert sent.index("/new_patient") < sent.index(message), "a link is a patient of its own: the last one is closed"
    page.reload()
    page.wait_for_timeout(500)
    assert [d["message"] for d in fake.received if d.get("message") == message] == [message], "not sent again"


def test_conflicting_values_are_shown_first_with_what_they_hold_back(fake, open_page):
    """Spec v1.2: a card names contradictory values before its recommendations (issue 19)."""
    from knowledge.api import assess_request
    from knowledge.card import build

    result, _ = assess_request(
        {"assessment": "dose_reduction", "phase": "chronic", "bcr_abl1_is": 0.004, "mmr_months": 20,
         "dmr_months": 30, "months_on_tki": 80, "dose_mg": 400, "goal": "tfr", "adherence_pct": 98, "mutations": []}
    )  # fmt: skip
    made = build(result, {}, card_id="k1", title="Dose reduction")
    fake.replies["conflict case"] = [{"text": made.text}, {"custom": made.payload}]
    page = open_page(fake.url)
    ask(page, "conflict case", selector="[data-testid=recommendation]")
    box = card(page, "k1").locator(".conflicts")
    assert box.count() == 1 and box.get_attribute("role") == "alert"
    text = box.inner_text()
    assert "Conflicting values" in text and "MR4 for 30 months cannot be longer than MMR for 20 months" in text
    assert "held back until checked: the dose reduction, a TFR attempt" in text
    first = card(page, "k1").locator(".conflicts, section.card").first
    assert first.get_attribute("class") == "conflicts"


AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"  # web/package.json (a test dependency, never served)


def serious_violations(page):
    """What the axe-core engine finds of serious or critical impact on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document, { resultTypes: ["violations"] })).violations.map(v => ({
             id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")) }))"""
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violation_on_the_welcome_a_card_and_a_chart(fake, open_page, scheme):
    page = open_page(fake.url, color_scheme=scheme)
    assert serious_violations(page) == []  # the welcome, with its examples
    ask(page, "trough case", selector="[data-testid=recommendation]")  # a card with citations and references
    ask(page, "series case", selector="[data-testid=recommendation]")  # a chart and its table
    ask(page, "goal?", selector=".replies")  # quick replies
    assert serious_violations(page) == []
    assert not page.errors


def test_a_screen_reader_hears_who_said_what_whole_citations_and_which_card_a_button_belongs_to(fake, open_page):
    page = open_page(fake.url)
    ask(page, "trough case", selector="[data-testid=recommendation]")
    ask(page, "goal?", selector=".replies")
    assert page.get_by_role("article", name="You").count() == 2
    assert page.get_by_role("article", name="Assistant").count() >= 1
    c = card(page, "r3")
    title = c.locator("h2").inner_text()
    refs = {int(li.get_attribute("value")): li for li in c.locator(".refs li").all()}
    for cite in c.locator("a.cite").all():  # the label is the whole reference, never cut mid-word
        n = int(cite.inner_text().strip("[]"))
        text = refs[n].inner_text().split(" PubMed")[0].split(" DOI")[0].split(" ↩")[0].strip()
        assert cite.get_attribute("aria-label") == f"Reference {n}: {text}"
    assert c.get_by_role("button", name=f"Why? ({title})").count() == 1  # named with its card
    skip = c.locator("a.skip")
    skip.focus()
    assert skip.is_visible()  # shown when focused
    page.keyboard.press("Enter")  # past the card's citations, to its buttons
    page.wait_for_function("document.activeElement.id === 'card-r3-actions'")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Why?"


def test_the_accessibility_check_would_catch_a_violation(fake, open_page):
    page = open_page(fake.url)
    page.evaluate("document.getElementById('log').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')")
    assert "image-alt" in [v["id"] for v in serious_violations(page)]


def test_a_general_answer_has_links_and_copy_and_sources_buttons_named_with_it(fake, open_page):
    """Issue 23: a general answer has its PubMed/DOI links, "Copy answer" (the plain text) and "Sources" (about
    this answer), named with it, and no serious accessibility violation."""
    from rasa_sdk.executor import CollectingDispatcher

    from actions.faq_search import say_topic
    from knowledge.faq import get_topic

    dispatcher = CollectingDispatcher()
    say_topic(dispatcher, get_topic("eln_milestones"))
    payload = dispatcher.messages[0]["custom"]
    sources = payload["buttons"][0]["payload"]
    fake.replies["milestones?"] = [{"custom": payload}]
    fake.replies[sources] = [{"text": "Sources of the milestones answer."}]
    page = open_page(fake.url, permissions=["clipboard-read", "clipboard-write"])
    ask(page, "milestones?", selector=".answer-actions")
    answer = page.get_by_role("article", name="Assistant").last
    assert answer.locator("a[href='https://pubmed.ncbi.nlm.nih.gov/32127639/']").count() >= 1
    answer.get_by_role("button", name=f"Copy answer ({payload['title']})").click()
    page.wait_for_function("document.querySelector('.answer-actions .copy-status').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == payload["note"]
    answer.get_by_role("button", name=f"Sources ({payload['title']})").click()
    page.wait_for_selector(".msg.bot >> text=Sources of the milestones answer.")
    assert fake.sent(session_of(page))[-1] == sources
    assert serious_violations(page) == []
    assert not page.errors
