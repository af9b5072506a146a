"""Renders the configuration reference (docs/configuration.md) from the settings object, so the
docs cannot drift from the code: `python -m cdp.configdoc > docs/configuration.md`."""

from __future__ import annotations

from core import envnames
from core.settings import Settings


def render() -> str:
    lines = [
        "# Configuration reference",
        "",
        "Generated from `core/settings.py` by `python -m cdp.configdoc`; a test keeps it in sync.",
        "Every process reads these `CDP_` environment variables; `cdp stack up` writes the",
        "embedded stack's endpoints to `$CDP_STATE_DIR/stack.env`, which is read when present",
        "(real environment variables win).",
        "",
        "| variable | default | description |",
        "|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        default = field.default if field.default_factory is None else field.default_factory()  # type: ignore[call-arg]
        shown = "(secret)" if "password" in name else f"`{default}`"
        lines.append(f"| `{envnames.PREFIX}{name.upper()}` | {shown} | {field.description or ''} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
