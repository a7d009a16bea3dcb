"""The screen: normalize -> identify the language -> analyzers -> policy -> Verdict."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext

from rostra.screening import registry
from rostra.screening.embedding import ephemeral
from rostra.screening.langid import identify
from rostra.screening.normalize import normalize
from rostra.screening.policy import Policy, PolicyError
from rostra.screening.types import (
    Evidence,
    Recommendation,
    ScreenContext,
    ScreenDoc,
    Signal,
    Verdict,
)


class Screen:
    """Reads a comment and returns a :class:`Verdict`.

    Build it once per policy (``Screen.from_policy``): analyzers load their lexicons and
    models in their constructors, and ``screen`` is then pure and deterministic.
    """

    def __init__(self, policy: Policy, analyzers: Sequence[registry.Analyzer]) -> None:
        self.policy = policy
        self.analyzers = tuple(analyzers)

    @classmethod
    def from_policy(cls, policy: Policy | None = None) -> Screen:
        """Build every analyzer the policy lists, checking each before the first comment.

        An unknown factory, an unknown or invalid setting, or an analyzer that emits none of
        the policy's categories is a :class:`PolicyError` naming the analyzer.
        """
        policy = policy or Policy.default()
        enabled = set(policy.categories)
        registrations = registry.registrations()
        analyzers: list[registry.Analyzer] = []
        for index, spec in enumerate(policy.analyzers):
            where = f"analyzers[{index}] ({spec.factory})"
            registration = registrations.get(spec.factory)
            if registration is None:
                known = ", ".join(sorted(registrations)) or "none"
                raise PolicyError(f"{where}: unknown analyzer; registered: {known}")
            if not registration.emits & enabled:
                raise PolicyError(
                    f"{where}: emits only {sorted(registration.emits)}, none of which this "
                    "policy enforces; remove it or enable a category"
                )
            try:
                analyzers.append(registry.create(spec.factory, spec.settings()))
            except (TypeError, ValueError) as exc:
                raise PolicyError(f"{where}: {exc}") from exc
        unknown = sorted(set(policy.corroboration.analyzers) - set(registrations))
        if unknown:
            # A misspelt id would silently let that analyzer reject on its own again.
            raise PolicyError(
                f"corroboration.analyzers: unknown analyzers {unknown}; "
                f"registered: {', '.join(sorted(registrations)) or 'none'}"
            )
        return cls(policy, analyzers)

    @property
    def model_version(self) -> str:
        versions = [getattr(a, "version", a.name) for a in self.analyzers]
        return "+".join(str(v) for v in versions) or "none"

    def screen(self, text: str, context: ScreenContext | None = None) -> Verdict:
        context = context or ScreenContext()
        normalized = normalize(text)
        guess = identify(text, hint=context.lang_hint, normalized=normalized)
        doc = ScreenDoc(
            text=text,
            normalized=normalized,
            lang=guess.lang,
            lang_confidence=guess.confidence,
            context=context,
            lang_candidates=guess.candidates,
        )
        signals: list[Signal] = []
        errors: list[str] = []
        # Text the caller may not keep: the shared encoder's cache is told here, in the thread
        # that runs the analyzers (a context variable set by the caller in another thread of a
        # pool would not reach it).
        with ephemeral() if context.ephemeral else nullcontext():
            for analyzer in self.analyzers:
                try:
                    signals.extend(analyzer.analyze(doc))
                except Exception as exc:
                    errors.append(f"{analyzer.name}: {type(exc).__name__}: {exc}")
        return self._verdict(doc, signals, errors)

    def _verdict(self, doc: ScreenDoc, signals: list[Signal], errors: list[str]) -> Verdict:
        enabled = set(self.policy.categories)
        scores: dict[str, float] = dict.fromkeys(self.policy.categories, 0.0)
        evidence: list[Evidence] = []
        for signal in signals:
            if signal.category not in enabled:
                continue
            scores[signal.category] = max(scores[signal.category], signal.score)
            evidence.extend(
                Evidence(signal.category, span.start, span.end, span.text, signal.analyzer)
                for span in signal.spans
            )
        recommendation, reasons = self.policy.decide(
            scores,
            lang=doc.lang,
            lang_confidence=doc.lang_confidence,
            failed=bool(errors),
            uncorroborated=self.policy.uncorroborated(s for s in signals if s.category in enabled),
        )
        if errors:
            recommendation = Recommendation.REVIEW
        evidence.sort(key=lambda e: (e.start, e.end, e.category, e.analyzer))
        return Verdict(
            language=doc.lang,
            language_confidence=doc.lang_confidence,
            scores=scores,
            evidence=tuple(dict.fromkeys(evidence)),
            recommendation=recommendation,
            reasons=reasons,
            model_version=self.model_version,
            policy_version=self.policy.version,
            errors=tuple(errors),
        )
