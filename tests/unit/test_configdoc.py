from pathlib import Path

from cdp.configdoc import render


def test_configuration_reference_matches_settings() -> None:
    doc = Path(__file__).parents[2] / "docs" / "configuration.md"
    assert doc.read_text() == render(), "run: python -m cdp.configdoc > docs/configuration.md"
