"""Which policy applies to a site: its own policy text, or the process default."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rostra.screening import Policy
from rostra.store.models import Site


@lru_cache(maxsize=64)
def _parse(text: str) -> Policy:
    return Policy.from_toml(text)


@lru_cache(maxsize=8)
def _load_default(path: str | None) -> Policy:
    return Policy.default() if path is None else Policy.from_file(Path(path))


def default_policy(policy_file: Path | None) -> Policy:
    """The process policy: ``ROSTRA_POLICY_FILE`` when set, else the packaged default."""
    return _load_default(str(policy_file) if policy_file else None)


def site_policy(site: Site, *, policy_file: Path | None) -> Policy:
    """The site's own policy when it has one, else the process policy."""
    if site.policy_toml:
        return _parse(site.policy_toml)
    return default_policy(policy_file)
