"""Helpers shared by the stream processors: the faust app factory, the batch loop, retries."""
