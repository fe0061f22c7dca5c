"""Activation codes arrive in a URL exactly once (the e-mail's link, redirected at once); the
log lines Django writes about that request show the code masked."""

from __future__ import annotations

import logging
import re

CODE_IN_QUERY = re.compile(r"([?&]code=)[^&\s\"']+", re.IGNORECASE)
# The request lines of `runserver`, and the warnings and errors about requests.
LOGGERS = ("django.server", "django.request")


class RedactActivationCodes(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if CODE_IN_QUERY.search(message):
            record.msg, record.args = CODE_IN_QUERY.sub(r"\1[hidden]", message), ()
        return True


def install() -> None:
    for name in LOGGERS:
        logging.getLogger(name).addFilter(RedactActivationCodes())
