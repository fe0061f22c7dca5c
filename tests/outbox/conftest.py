from __future__ import annotations

import copy
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _test_mail_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates
