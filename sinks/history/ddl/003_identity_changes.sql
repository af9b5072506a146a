-- Every change to the identity graph (created, linked, merged, refused, household_linked).
-- identifier_value is personal data: erasure blanks it with ALTER TABLE ... UPDATE.
-- change_id is deterministic, so a replay collapses on merge; read with FINAL to dedup.
CREATE TABLE IF NOT EXISTS {database}.identity_changes
(
    change_id String,
    kind String,
    profile_id String,
    from_profile_id String,
    identifier_type String,
    identifier_value String,
    household_id String,
    reason String,
    event_id String,
    event_time DateTime,
    event_time_ms UInt64,
    change_time DateTime,
    change_time_ms UInt64,
    change_date Date
)
ENGINE = ReplacingMergeTree(change_time_ms)
PARTITION BY toYYYYMM(change_date)
ORDER BY (kind, change_id);
