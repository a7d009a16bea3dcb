"""The API docs page renders in a real browser from rostra's own files, asking no one else."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from .support import PageWatch, Server

pytestmark = pytest.mark.e2e


def _elsewhere(server: Server, watch: PageWatch) -> list[str]:
    ours = urlsplit(server.base_url).netloc
    return [u for u in watch.requests if urlsplit(u).netloc not in (ours, "")]


def test_swagger_ui_renders_without_third_party_requests(
    server: Server, new_page: Any, watch: PageWatch
) -> None:
    page = new_page()
    page.goto(f"{server.base_url}/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "rostra" in page.inner_text(".swagger-ui .info .title")
    # the public API's operations are listed, read from /openapi.json
    page.wait_for_selector("#operations-public-public-create_comment")
    assert _elsewhere(server, watch) == []
    assert watch.csp_violations == []
    assert watch.errors == []
