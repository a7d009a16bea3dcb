"""Keep Perspective API keys out of the logs.

uvicorn's access log prints the request path with its query string, and every Perspective
client puts its key there (``?key=...``). This filter rewrites the record's arguments before
any handler formats them.
"""

from __future__ import annotations

import logging
import re

_KEY_PARAM = re.compile(r"(?i)((?:^|[?&;])key=)[^&\s\"';]*")
REDACTED = "[redacted]"


def redact_keys(text: str) -> str:
    """``text`` with the value of every ``key=`` query parameter replaced."""
    return _KEY_PARAM.sub(lambda m: m.group(1) + REDACTED, text)


class RedactKeyFilter(logging.Filter):
    """Redacts ``key=`` in a record's message and string arguments; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "key=" in record.msg.lower():
            record.msg = redact_keys(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_keys(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        elif isinstance(record.args, dict):
            record.args = {
                k: redact_keys(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True


#: Loggers that print request URLs: uvicorn's access log, and rostra's own.
REDACTED_LOGGERS = ("uvicorn.access", "uvicorn.error", "rostra")


def install_key_redaction() -> None:
    """Attach the filter to the loggers that print URLs (idempotent)."""
    for name in REDACTED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactKeyFilter) for f in logger.filters):
            logger.addFilter(RedactKeyFilter())
