"""`python -m streams.profiles`: the profile worker with settings from the environment."""

from core.settings import load_settings
from streams.profiles import main

main(load_settings())
