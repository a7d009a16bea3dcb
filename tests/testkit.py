"""Constants and doubles the test packages share.

A module of its own, not ``conftest``: several directories have a ``conftest.py``, and
``from conftest import ...`` picks whichever was imported first.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from rostra.screening import Recommendation, ScreenContext, Verdict

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
PG_URL = os.environ.get("ROSTRA_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("ROSTRA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@dataclass
class ScriptedScreener:
    """A tiny deterministic screen for tests, driven by markers in the comment text.

    ``[reject:<category>]`` rejects for that category, ``[approve]`` approves, ``[slow]``
    sleeps past any budget, ``[boom]`` raises; anything else is sent to review.
    """

    sleep_seconds: float = 3.0
    seen: list[tuple[str, ScreenContext]] = field(default_factory=list)

    def screen(self, text: str, context: ScreenContext) -> Verdict:
        self.seen.append((text, context))
        if "[boom]" in text:
            raise RuntimeError("scripted screen failure")
        if "[slow]" in text:
            time.sleep(self.sleep_seconds)
        recommendation, reasons = Recommendation.REVIEW, ()
        if "[approve]" in text:
            recommendation = Recommendation.APPROVE
        for token in text.split():
            if token.startswith("[reject:") and token.endswith("]"):
                recommendation, reasons = Recommendation.REJECT, (token[8:-1],)
        scores = dict.fromkeys(reasons, 0.99)
        return Verdict(
            language=context.lang_hint or "en",
            language_confidence=0.9,
            scores=scores,
            evidence=(),
            recommendation=recommendation,
            reasons=reasons,
            model_version="scripted",
            policy_version="test",
        )
