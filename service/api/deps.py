"""Route dependencies as Annotated aliases, so routes read like the domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.answering.service import AnswerService
from service.container import Services
from service.retrieval.hybrid import HybridRetriever


def get_services(request: Request) -> Services:
    return request.app.state.services


def get_retriever(request: Request) -> HybridRetriever:
    return request.app.state.services.retriever


def get_answers(request: Request) -> AnswerService:
    return request.app.state.services.answers


ServicesDep = Annotated[Services, Depends(get_services)]
RetrieverDep = Annotated[HybridRetriever, Depends(get_retriever)]
AnswersDep = Annotated[AnswerService, Depends(get_answers)]
