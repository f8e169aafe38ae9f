"""What the web widget's browser tests share besides their fixtures (webchat_browser.py): the two screen sizes,
screenshots into test-artifacts/, typing a message, and contrast arithmetic."""

from harness.servers import ROOT

ARTIFACTS = ROOT / "test-artifacts"
DESKTOP = {"width": 1000, "height": 1400}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}


# for an element's screenshot: the page scrolls instead of the log, so that a card taller than the log is taken
# whole and never under the header that stays above the log
WHOLE_ELEMENT_CSS = ".chat { height: auto !important; } .log { overflow: visible !important; flex: none !important; }"


def shot(page, name, element=None):
    """Save a screenshot (the page's viewport, or one element, whole) as test-artifacts/<name>."""
    ARTIFACTS.mkdir(exist_ok=True)
    if element is None:
        page.screenshot(path=str(ARTIFACTS / name))
        return
    style = page.add_style_tag(content=WHOLE_ELEMENT_CSS)
    try:
        element.screenshot(path=str(ARTIFACTS / name))
    finally:
        style.evaluate("node => node.remove()")


def say(page, text):
    """Type a message and press Enter, as a user does."""
    page.fill("#message", text)
    page.press("#message", "Enter")


# the text colour and the colour behind it of each element, as the browser computed them (the first
# ancestor with an opaque background gives the background)
COLOURS_JS = """(selectors) => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const behind = (el) => {
    for (let n = el; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || c[3] === 1) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = [];
  for (const sel of selectors) {
    for (const el of document.querySelectorAll(sel)) {
      const style = getComputedStyle(el);
      const fg = el instanceof SVGElement ? style.fill : style.color;
      out.push({ selector: sel, text: (el.textContent || "").slice(0, 40), fg: rgb(fg).slice(0, 3), bg: behind(el) });
    }
  }
  return out;
}"""


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg, bg):
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
