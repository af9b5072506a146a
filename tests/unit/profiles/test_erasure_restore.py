"""The pure fold of erasure records into tombstones and suppression digests."""

from __future__ import annotations

from streams.profiles.erasure_restore import fold


def record(pids: list[str], when: int, digests: list[str] | None = None) -> dict[str, object]:
    out: dict[str, object] = {"erasure_id": f"e{when}", "profile_ids": pids, "requested_time": when}
    if digests is not None:
        out["identifier_digests"] = digests
    return out


def test_earliest_erasure_time_wins_and_v1_records_are_counted() -> None:
    restored = fold(
        [
            record(["pA", "pB"], 20, ["d1", "d2"]),
            record(["pA"], 10, ["d1"]),
            record(["pC"], 30),  # schema v1: profile ids only
        ]
    )
    assert restored.tombstones == {"pA": 10, "pB": 20, "pC": 30}
    assert restored.digests == {"d1": 10, "d2": 20}
    assert restored.records == 3 and restored.without_digests == 1


def test_order_does_not_matter() -> None:
    records = [record(["p1"], 5, ["x"]), record(["p1", "p2"], 3, ["x", "y"])]
    assert fold(records) == fold(reversed(records))
