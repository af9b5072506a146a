-- Input some stage could not process, with the reason and the original bytes (payload).
-- dead_letter_id is deterministic per input: replays collapse; read with FINAL to dedup.
-- source_partition / source_offset are -1 when unknown.
CREATE TABLE IF NOT EXISTS {database}.dead_letters
(
    dead_letter_id String,
    stage String,
    reason String,
    detail String,
    source_system String,
    source_topic String,
    source_partition Int32,
    source_offset Int64,
    event_id String,
    payload String,
    received_time DateTime,
    received_time_ms UInt64,
    received_date Date
)
ENGINE = ReplacingMergeTree(received_time_ms)
PARTITION BY toYYYYMM(received_date)
ORDER BY (stage, reason, dead_letter_id);
