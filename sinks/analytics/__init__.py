"""Analyst views over the ClickHouse history (events_current, profile_map) and the analyses
built on them: view catalogue and rendering, applying the views, running them, CLV, report."""
