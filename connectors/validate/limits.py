"""Size and time limits of one touchpoint (the contract's guard rails against oversized input)."""

from __future__ import annotations

MAX_STRING = 4096  # characters in any one string field, map key or map value
MAX_IDENTIFIERS = 50  # identifiers (and, separately, relations) per event
MAX_MAP_ENTRIES = 100  # entries in attributes or extras
MAX_EVENT_BYTES = 64 * 1024  # the validated event serialised as compact UTF-8 JSON
MAX_FUTURE_MS = 24 * 3600 * 1000  # event_time may be at most this far after "now"
MAX_FIELD_NAME = 64  # an unknown field's name is quoted in the detail up to this length
