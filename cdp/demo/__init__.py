"""`cdp demo`: the whole pipeline on the embedded stack, step by step (see cdp/commands/demo.py)."""
