"""``python -m streams.identity``: one identity worker with settings from the environment."""

from core.settings import load_settings
from streams.identity import main

main(load_settings())
