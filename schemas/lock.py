"""Release schema versions: `python -m schemas.lock` pins an id for every changed top-level schema
and writes its fully expanded form as the next versions/<subject>/vN.avsc fixture."""

from __future__ import annotations

import json
import sys

from schemas import catalogue


def release_all() -> list[str]:
    lock = catalogue.read_lock() if catalogue.LOCK_FILE.exists() else {}
    next_id = 1 + max((e["id"] for es in lock.values() for e in es), default=0)
    released = []
    for subject in catalogue.TOP_LEVEL:
        parsed = catalogue.load_avsc(catalogue.AVRO_DIR / f"{subject}.avsc")
        fp = catalogue.schema_fingerprint(parsed)
        entries = lock.setdefault(subject, [])
        if any(e["fingerprint"] == fp for e in entries):
            continue
        version = 1 + max((e["version"] for e in entries), default=0)
        folder = catalogue.VERSIONS_DIR / subject
        folder.mkdir(parents=True, exist_ok=True)
        full = _strip_private(json.loads(json.dumps(parsed, default=str)))
        (folder / f"v{version}.avsc").write_text(json.dumps(full, indent=1) + "\n")
        entries.append({"version": version, "id": next_id, "fingerprint": fp})
        released.append(f"{subject} v{version} id={next_id}")
        next_id += 1
    catalogue.LOCK_FILE.write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n")
    return released


def _strip_private(node: object) -> object:
    if isinstance(node, dict):
        return {k: _strip_private(v) for k, v in node.items() if not k.startswith("__")}
    if isinstance(node, list):
        return [_strip_private(v) for v in node]
    return node


if __name__ == "__main__":
    for line in release_all() or ["nothing changed"]:
        print(line)
    sys.exit(0)
