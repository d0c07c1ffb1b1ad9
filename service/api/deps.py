"""Route dependencies as Annotated aliases, so routes read like the domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.answering.service import AnswerService
from service.container import Services
from service.retrieval.hybrid import HybridRetriever
from service.scenarios.service import ScenarioService


# `async def`: FastAPI runs a plain `def` dependency in its thread pool, a hop per request for an attribute read.
async def get_services(request: Request) -> Services:
    return request.app.state.services


async def get_retriever(request: Request) -> HybridRetriever:
    return request.app.state.services.retriever


async def get_answers(request: Request) -> AnswerService:
    return request.app.state.services.answers


async def get_scenarios(request: Request) -> ScenarioService:
    return request.app.state.services.scenarios


ServicesDep = Annotated[Services, Depends(get_services)]
RetrieverDep = Annotated[HybridRetriever, Depends(get_retriever)]
AnswersDep = Annotated[AnswerService, Depends(get_answers)]
ScenariosDep = Annotated[ScenarioService, Depends(get_scenarios)]
