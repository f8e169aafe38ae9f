"""The web widget's browser fixtures, a pytest plugin (``pytest_plugins = ["webchat_browser"]``): headless Debian
Chromium through Playwright (``browser``) and pages in fresh contexts that record script errors (``open_page``)."""

import subprocess

import pytest
from webchat_helpers import SIZES

from harness.servers import ROOT


@pytest.fixture(scope="module")
def browser():
    subprocess.run([str(ROOT / "scripts" / "ensure_chromium.sh")], check=True, timeout=900)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def open_page(browser):
    """``open_page(url, size="desktop", before=None, **context)``: a page in a fresh context (its own
    sessionStorage and clipboard), closed after the test; script errors are collected in ``page.errors``;
    ``before(page)`` runs before the page loads; returns once the socket is connected."""
    contexts = []

    def open_(url, size="desktop", before=None, **context):
        ctx = browser.new_context(viewport=SIZES[size], **context)
        contexts.append(ctx)
        page = ctx.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        if before:
            before(page)
        page.goto(url)
        page.wait_for_selector("#status >> text=Connected.")
        return page

    yield open_
    for ctx in contexts:
        ctx.close()
