"""Every environment variable the product reads, in one place (all carry the CDP_ prefix)."""

PREFIX = "CDP_"
STATE_DIR = "CDP_STATE_DIR"
STACK_ENV_FILE = "stack.env"
