"""Every environment variable the product reads, in one place (all carry the CDP_ prefix but
prometheus_client's own, which the API sets for its worker processes)."""

PREFIX = "CDP_"
STATE_DIR = "CDP_STATE_DIR"
STACK_ENV_FILE = "stack.env"
# prometheus_client: the directory where worker processes keep their metric values
PROMETHEUS_MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"
