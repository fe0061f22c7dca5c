"""Stylesheet rules that scripts rely on (tests/browser checks the result in Chromium)."""

from __future__ import annotations

import re
from pathlib import Path

import suppliernet

APP_CSS = Path(suppliernet.__file__).parent / "static" / "css" / "app.css"


def test_hidden_attribute_wins_over_button_display_so_js_can_hide_no_js_buttons():
    # app.js sets `hidden` on the "Change"/"Switch" buttons; `.button { display: inline-block }`
    # beats the browser's own [hidden] rule unless the stylesheet says otherwise.
    css = APP_CSS.read_text()
    assert re.search(r"\[hidden\]\s*\{\s*display:\s*none\s*!important;?\s*\}", css)
