"""The one interface between the service and the screen, and how the real screen is built.

The service only knows :class:`Screener` (``screen(text, context) -> Verdict``). The process
builds the real :class:`rostra.screening.Screen` once; when it cannot be built (an analyzer not
registered yet, a broken policy file) the service falls back to :class:`ReviewOnlyScreener`,
which sends every comment to a human and never approves anything.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol, runtime_checkable

from rostra.screening import (
    ArticleContext,
    Policy,
    Recommendation,
    Screen,
    ScreenContext,
    Verdict,
)
from rostra.screening.langid import identify

log = logging.getLogger(__name__)


@runtime_checkable
class Screener(Protocol):
    """Anything that reads a comment and returns a verdict (the real screen, or a test double)."""

    def screen(self, text: str, context: ScreenContext) -> Verdict: ...


class ReviewOnlyScreener:
    """A screen that decides nothing: every comment goes to a moderator, with a reason why."""

    def __init__(self, policy: Policy, reason: str) -> None:
        self.policy = policy
        self.reason = reason

    def screen(self, text: str, context: ScreenContext) -> Verdict:
        guess = identify(text, hint=context.lang_hint)
        return Verdict(
            language=guess.lang,
            language_confidence=guess.confidence,
            scores={},
            evidence=(),
            recommendation=Recommendation.REVIEW,
            reasons=(),
            model_version="review-only",
            policy_version=self.policy.version,
            errors=(f"screen unavailable: {self.reason}",),
        )


def build_screener(policy: Policy) -> Screener:
    """Build the real screen for ``policy``, or a review-only one if that fails (logged)."""
    try:
        return Screen.from_policy(policy)
    except Exception as exc:
        log.warning("screen unavailable, every comment goes to review: %s", exc, exc_info=True)
        return ReviewOnlyScreener(policy, f"{type(exc).__name__}: {exc}")


def warm_up(screener: Screener) -> float:
    """Screen two sample comments so lazily loaded models are ready before the first reader.

    Returns the seconds it took. Failures are logged, never raised: a broken screen only
    means comments wait for a human.
    """
    started = time.perf_counter()
    context = ScreenContext(
        article=ArticleContext(title="Warm-up", body="A short article body.", language="en"),
        lang_hint="en",
    )
    try:
        for text in ("Thank you for this report.", "سوپاس بۆ ئەم ڕاپۆرتە", "شكرا على التقرير"):
            screener.screen(text, context)
    except Exception:
        log.exception("screen warm-up failed; comments will wait for moderators")
    return time.perf_counter() - started
