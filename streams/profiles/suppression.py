"""Erased identifiers: see core/suppression.py (shared with identity and the API)."""

from core.suppression import digest, digests, lifts_suppression

__all__ = ["digest", "digests", "lifts_suppression"]
