"""`python -m api`: the HTTP API with settings from the environment."""

from api import main
from core.settings import load_settings

main(load_settings())
