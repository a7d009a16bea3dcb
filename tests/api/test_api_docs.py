"""``/docs``: Swagger UI served from rostra's own files, with no third-party request."""

from __future__ import annotations

import re

from api.conftest import Api


def test_docs_page_loads_swagger_ui_from_this_origin_only(api: Api) -> None:
    page = api.client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    sources = re.findall(r"""(?:src|href)=["']([^"']+)""", page.text)
    assert "/docs/assets/swagger-ui-bundle.js" in sources
    assert "/docs/assets/swagger-ui.css" in sources
    assert [s for s in sources if "//" in s] == []  # nothing from another origin
    assert "/openapi.json" in page.text
    policy = page.headers["content-security-policy"]
    assert "https:" not in policy
    assert "http:" not in policy
    assert "script-src 'self' 'unsafe-inline'" in policy


def test_docs_files_are_served_from_this_origin(api: Api) -> None:
    bundle = api.client.get("/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert "javascript" in bundle.headers["content-type"]
    assert "SwaggerUIBundle" in bundle.text
    assert api.client.get("/docs/assets/swagger-ui.css").status_code == 200
    # the package's folder only: its Python module one level up is not served
    assert api.client.get("/docs/assets/%2e%2e/core.py").status_code == 404
    # ReDoc's page fetches its logo from a CDN, so it is not offered
    assert api.client.get("/redoc").status_code == 404
