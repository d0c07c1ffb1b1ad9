"""/docs and /redoc work offline: their scripts and styles come from the installed package, never a CDN."""

import re

import pytest


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_reference_no_external_url_and_their_assets_are_served(client, page):
    html = client.get(page)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html.text, re.IGNORECASE), "an external URL in " + page
    assets = re.findall(r"""(?:src|href)=["']?(/[^"' >]+)""", html.text)
    assert assets, "the page loads its scripts from this server"
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert len(response.content) > 1000 or asset.endswith(".png"), asset
    if page == "/docs":
        assert "/docs-assets/swagger-ui-bundle.js" in assets and "/docs-assets/swagger-ui.css" in assets
        assert "/openapi.json" in html.text and '"validatorUrl": null' in html.text
