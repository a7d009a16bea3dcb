"""A verdict records the full versions of every analyzer, however many a policy lists."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rostra.screening import Recommendation
from rostra.screening import Verdict as ScreenVerdict
from rostra.store import queries
from rostra.store.models import Verdict

from .support import add_pending_comment


def test_long_model_and_policy_versions_are_stored_whole(
    sessions: sessionmaker[Session],
) -> None:
    # A policy with a dozen analyzers, each with a content id: well past the 200 characters
    # the column held before migration 0003 (PostgreSQL refused the row then).
    model_version = "+".join(f"newsroom.analyzer{i}.v1/{i:012x}" for i in range(24))
    policy_version = "newsroom-policy-" + "x" * 300
    assert len(model_version) > 600
    verdict = ScreenVerdict(
        language="en",
        language_confidence=0.99,
        scores={"promotion": 0.1},
        evidence=(),
        recommendation=Recommendation.REVIEW,
        reasons=(),
        model_version=model_version,
        policy_version=policy_version,
    )
    with sessions() as session:
        comment = add_pending_comment(session, "A fair point about the budget.")
        queries.insert_verdict(
            session=session, comment_id=comment.id, verdict=verdict, elapsed_ms=3
        )
        session.commit()
    with sessions() as session:
        stored = session.scalars(select(Verdict)).one()
        assert (stored.model_version, stored.policy_version) == (model_version, policy_version)
