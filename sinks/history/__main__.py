"""`python -m sinks.history`: the history sink with settings from the environment."""

from core.settings import load_settings
from sinks.history import main

main(load_settings())
