"""Auth on the profile routes: 401 without a valid key, 403 without the scope (no network)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from core.settings import Settings

KEYS = {"r": ["read"], "i": ["ingest"], "a": ["admin"]}


def client() -> TestClient:
    return TestClient(create_app(Settings(api_keys=KEYS), clients={"redis": None}))


def test_routes_need_a_key_and_the_scope() -> None:
    c = client()
    body = {
        "identifier": {"type": "email", "value": "a@b.de"},
        "channel": "email",
        "purpose": "service",
    }
    assert c.get("/v1/profiles/email/a@b.de").status_code == 401
    assert c.get("/v1/profiles/p1", headers={"X-API-Key": "bad"}).status_code == 401
    assert c.get("/v1/profiles/p1", headers={"X-API-Key": "i"}).status_code == 403
    assert c.post("/v1/decisions/contact", json=body).status_code == 401
    assert c.post("/v1/decisions/contact", json=body, headers={"X-API-Key": "i"}).status_code == 403
    assert c.delete("/v1/profiles/email/a@b.de", headers={"X-API-Key": "r"}).status_code == 403
    assert c.delete("/v1/profiles/email/a@b.de").status_code == 401


def test_validation_errors_are_clear() -> None:
    with client() as c:
        validation(c)


def validation(c: TestClient) -> None:
    r = c.post(
        "/v1/decisions/contact",
        headers={"X-API-Key": "r"},
        json={
            "identifier": {"type": "email", "value": "a@b.de"},
            "channel": "email",
            "purpose": "spam",
        },
    )
    assert r.status_code == 422 and "unknown purpose" in r.text
    r = c.get("/v1/profiles/email/nonsense", headers={"X-API-Key": "r"})
    assert r.status_code == 422 and "invalid email" in r.text
