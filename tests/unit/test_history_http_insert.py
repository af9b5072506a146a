"""The RowBinary HTTP inserter with a mock transport: the request ClickHouse gets, and errors
that keep the code and name but not the data."""

from __future__ import annotations

import httpx
import pytest

from sinks.history.http_insert import HttpInserter, InsertFailed, error_summary

ERROR_18_16 = (
    "Code: 27, e.displayText() = DB::Exception: Cannot parse input: expected \\t before: "
    "anna@example.com, e.what() = DB::Exception\n"
)


def inserter(handler: object) -> HttpInserter:
    client = httpx.Client(base_url="http://ch:8123", transport=httpx.MockTransport(handler))  # type: ignore[arg-type]
    return HttpInserter("ch", 8123, "writer", "secret", client=client)


def test_posts_the_rows_with_the_insert_query_and_basic_auth():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    inserter(handler).insert("cdp.events", ["event_id", "amount"], b"\x02e1" + b"\x00" * 8)
    (request,) = seen
    assert (
        request.url.params["query"] == "INSERT INTO cdp.events (event_id, amount) FORMAT RowBinary"
    )
    assert request.content == b"\x02e1" + b"\x00" * 8
    assert request.headers["authorization"] == httpx.BasicAuth("writer", "secret")._auth_header


def test_an_error_answer_raises_without_the_rows():
    with pytest.raises(InsertFailed) as failed:
        inserter(lambda request: httpx.Response(500, text=ERROR_18_16)).insert("t", ["a"], b"")
    assert str(failed.value) == "HTTP 500, code 27: Cannot parse input"
    assert "anna" not in str(failed.value)


def test_error_summary_without_a_code():
    assert error_summary(502, "Bad Gateway") == "HTTP 502, code ?"
