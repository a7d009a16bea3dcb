"""The docs keep up with the code: every setting, error code and route is documented."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path

from api.conftest import Api
from rostra import errors
from rostra.config import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_setting_is_in_the_operator_guide() -> None:
    guide = (DOCS / "operator.md").read_text("utf-8")
    missing = [
        f"ROSTRA_{name.upper()}"
        for name in Settings.model_fields
        if f"`ROSTRA_{name.upper()}`" not in guide
    ]
    assert missing == []


def test_every_error_code_is_in_the_api_reference() -> None:
    reference = (DOCS / "api.md").read_text("utf-8")
    codes = {
        cls.code
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.RostraError) and cls.code not in {"error", "conflict"}
    }
    codes |= {"invalid_json", "body_too_large", "method_not_allowed", "internal_error"}
    codes |= {"bad_request"}  # rostra.api.errors: a malformed request (e.g. Content-Length)
    codes |= {"database_unavailable", "storage_full"}  # rostra.api.errors, database outages
    missing = sorted(code for code in codes if f"`{code}`" not in reference)
    assert missing == []


def test_every_api_route_is_in_the_api_reference(make_api: Callable[..., Api]) -> None:
    reference = (DOCS / "api.md").read_text("utf-8")
    paths = make_api().client.get("/openapi.json").json()["paths"]
    ours = [p for p in paths if re.match(r"^/api/v1/(articles|comment|moderation|auth|admin)", p)]
    missing = [p for p in ours if p.split("{")[0].rstrip("/") not in reference]
    assert missing == []


def test_openapi_documents_the_error_body(make_api: Callable[..., Api]) -> None:
    schema = make_api().client.get("/openapi.json").json()
    assert "ErrorBody" in schema["components"]["schemas"]
    create = schema["paths"]["/api/v1/articles/{article_id}/comments"]["post"]
    assert "4XX" in create["responses"]


def test_the_newcomer_walk_through_decides_the_comment_it_posted() -> None:
    reference = (DOCS / "api.md").read_text("utf-8")
    walk = reference.split("## The newcomer's walk-through", 1)[1]
    assert "/moderation/comments/$ID/decisions" in walk
    assert re.search(r"comments/\d+/decisions", walk) is None  # no hard-coded id
    assert "ID=$(curl -s -X POST" in walk


def test_command_options_in_the_operator_guide_exist() -> None:
    """No option the commands do not have (``rostra serve --workers`` was documented)."""
    import click

    from rostra.cli import main

    def options(command: click.Command) -> set[str]:
        found = {opt for param in command.params for opt in getattr(param, "opts", [])}
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                found |= options(sub)
        return found

    real = options(main)
    guide = (DOCS / "operator.md").read_text("utf-8")
    guide = guide.replace("has no `--workers` option", "")  # the one sentence saying so
    used = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", guide))
    assert {"--demo", "--no-migrate", "--expires-in"} <= used
    assert used - real == set()
