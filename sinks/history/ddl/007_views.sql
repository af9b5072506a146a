-- The current survivor of every merged-away profile.
CREATE VIEW IF NOT EXISTS {database}.profile_map_current AS
SELECT profile_id, argMax(survivor_id, version) AS survivor_id
FROM {database}.profile_map
GROUP BY profile_id;

-- Events deduplicated by event_id (FINAL), with the profile at resolution time replaced by its
-- current survivor (current_profile_id) through the person-override mapping: counts per current
-- customer stay right after merges without rewriting the log.
CREATE VIEW IF NOT EXISTS {database}.events_current AS
SELECT
    event_id, event_type, source_system, event_time, event_time_ms, event_date,
    received_time, received_time_ms, resolved_time, resolved_time_ms,
    if(survivor_id = '', profile_id, survivor_id) AS current_profile_id,
    profile_id, household_id, channel, direction, outcome, in_reply_to, department, campaign_id,
    purpose, amount, has_amount, currency, cost, has_cost, quantity, has_quantity, product,
    product_category, order_id, invoice_id, policy_id, due_date, paid_date, start_date, end_date,
    complaint_id, complaint_status, page, document, survey_id, question, answer, score, has_score,
    consent_purpose, consent_channel, consent_state, identifier_types, relation_kinds,
    inserted_time
FROM
(
    SELECT * FROM {database}.events FINAL
) AS e
ANY LEFT JOIN
(
    SELECT profile_id, argMax(survivor_id, version) AS survivor_id
    FROM {database}.profile_map
    GROUP BY profile_id
) AS m USING (profile_id);
