"""GET / serves the chat page; /static its files. The page talks only to this server's /v1 API."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).parent / "static"

#: The page runs only its own scripts and styles and connects only to this origin, so even text that
#: slipped past the page's escaping could neither run script nor load anything from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


class RevalidatedStaticFiles(StaticFiles):
    """Static files the browser revalidates each time (cheap with ETags), so an upgrade is never half-applied."""

    async def get_response(self, path: str, scope):
        response = await super().get_response(path, scope)
        response.headers["Cache-Control"] = "no-cache"
        return response


router = APIRouter(tags=["web"])
router.mount("/static", RevalidatedStaticFiles(directory=STATIC_DIR), name="static")


@router.get("/", include_in_schema=False)
async def chat_page() -> FileResponse:
    """The chat page."""
    return FileResponse(STATIC_DIR / "index.html", headers=PAGE_HEADERS)
