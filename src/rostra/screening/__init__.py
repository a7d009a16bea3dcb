"""rostra's screen: a pure library (no HTTP, no SQL).

>>> from rostra.screening import Screen
>>> verdict = Screen.from_policy().screen("A fair point about the budget.")
"""

from rostra.screening.policy import Policy, PolicyError
from rostra.screening.registry import Analyzer, register
from rostra.screening.screen import Screen
from rostra.screening.types import (
    ABUSE_CATEGORIES,
    CATEGORIES,
    LANGUAGES,
    ArticleContext,
    Category,
    Evidence,
    Language,
    ModerationMode,
    Recommendation,
    ScreenContext,
    ScreenDoc,
    Signal,
    Span,
    Verdict,
)

__all__ = [
    "ABUSE_CATEGORIES",
    "CATEGORIES",
    "LANGUAGES",
    "Analyzer",
    "ArticleContext",
    "Category",
    "Evidence",
    "Language",
    "ModerationMode",
    "Policy",
    "PolicyError",
    "Recommendation",
    "Screen",
    "ScreenContext",
    "ScreenDoc",
    "Signal",
    "Span",
    "Verdict",
    "register",
]
