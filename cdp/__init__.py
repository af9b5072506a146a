"""The `cdp` application layer: CLI entry point, embedded stack, wiring of all packages."""
