"""Per-source emitters: each takes the context and a person and appends that source's raw rows
(in the source's own column names and formats) for the generation window."""
