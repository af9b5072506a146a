"""Shared core: settings, topic names, metric names. Imports nothing from the other packages."""
