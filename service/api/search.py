"""POST /v1/search: ranked passages for a query."""

from __future__ import annotations

from fastapi import APIRouter

from service.api.deps import RetrieverDep
from service.api.errors import ERROR_RESPONSES
from service.api.schemas import SearchRequest, SearchResponse, SearchResult
from service.contracts import DocumentRef

router = APIRouter(tags=["search"])


@router.post("/v1/search", response_model=SearchResponse, responses=ERROR_RESPONSES)
async def search(body: SearchRequest, retriever: RetrieverDep) -> SearchResponse:
    """Passages of the corpus that answer the query, best first (hybrid dense + BM25)."""
    hits = await retriever.asearch(body.query, body.top_k, document=body.document, current=body.current)
    return SearchResponse(
        results=[
            SearchResult(
                chunk_id=h.chunk.id,
                text=h.chunk.text,
                score=round(h.score, 6),
                document=DocumentRef(id=h.chunk.document_id, title=h.chunk.document_title),
                section=h.chunk.section,
            )
            for h in hits
        ]
    )
