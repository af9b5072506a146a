"""GET /healthz (Redis and Kafka reachable?) and GET /metrics (Prometheus text). No API key."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)

from core.envnames import PROMETHEUS_MULTIPROC_DIR

router = APIRouter(tags=["health"])
TIMEOUT_S = 2.0


async def _redis(clients: dict[str, Any]) -> str:
    try:
        await asyncio.wait_for(clients["redis"].ping(), TIMEOUT_S)
        return "ok"
    except Exception as exc:  # any failure is "unreachable"
        return f"unreachable: {type(exc).__name__}"


async def _kafka(clients: dict[str, Any]) -> str:
    try:
        meta = await asyncio.to_thread(clients["kafka"].list_topics, timeout=TIMEOUT_S)
        return "ok" if meta.brokers else "unreachable: no brokers"
    except Exception as exc:
        return f"unreachable: {type(exc).__name__}"


@router.get("/healthz")
async def healthz(request: Request) -> JSONResponse:
    clients = request.app.state.clients
    checks = dict(
        zip(("redis", "kafka"), await asyncio.gather(_redis(clients), _kafka(clients)), strict=True)
    )
    ok = all(v == "ok" for v in checks.values())
    return JSONResponse({"status": "ok" if ok else "degraded", **checks}, 200 if ok else 503)


def _update_lag(request: Request) -> None:
    """Consumer lag of every processor, read at scrape time (cdp_consumer_lag)."""
    from core.lag import all_lags
    from core.metrics import CONSUMER_LAG

    try:
        for lag in all_lags(request.app.state.settings):
            CONSUMER_LAG.labels(lag.group, lag.topic).set(lag.lag)
    except Exception:  # Kafka unreachable: keep the last values, /healthz reports it
        return


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """This process's metrics, or every API worker's together when there are several."""
    _update_lag(request)
    registry = REGISTRY
    if os.environ.get(PROMETHEUS_MULTIPROC_DIR):  # set by api.main for its workers only
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
