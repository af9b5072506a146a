-- Personal data of each event, kept out of the immutable `events` log. Erasure deletes a person's
-- rows here (ALTER TABLE ... DELETE WHERE profile_id IN ...). Keyed by (profile_id, event_id).
-- identifier_types[i] / identifier_values[i], relation_* and attribute_keys/values, extra_keys/
-- values are parallel arrays (Nested without the dotted names).
CREATE TABLE IF NOT EXISTS {database}.pii
(
    profile_id String,
    event_id String,
    event_date Date,
    source_system String,
    identifier_types Array(String),
    identifier_values Array(String),
    relation_kinds Array(String),
    relation_types Array(String),
    relation_values Array(String),
    attribute_keys Array(String),
    attribute_values Array(String),
    extra_keys Array(String),
    extra_values Array(String),
    resolved_time_ms UInt64
)
ENGINE = ReplacingMergeTree(resolved_time_ms)
PARTITION BY toYYYYMM(event_date)
ORDER BY (profile_id, event_id);
