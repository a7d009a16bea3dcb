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
