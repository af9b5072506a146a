-- The person-override mapping: a merged-away profile -> its current survivor (transitively
-- closed by the sink: if A merged into B and B later into C, A maps to C). Highest version wins:
-- read it with argMax(survivor_id, version) GROUP BY profile_id (view profile_map_current).
CREATE TABLE IF NOT EXISTS {database}.profile_map
(
    profile_id String,
    survivor_id String,
    version UInt64,
    change_id String,
    changed_time DateTime
)
ENGINE = ReplacingMergeTree(version)
ORDER BY profile_id;
