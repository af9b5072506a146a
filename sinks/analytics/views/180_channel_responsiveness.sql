-- title: Channel responsiveness
-- params: as_of
-- One row per current profile and channel over communication events (call, email, sms, letter,
-- campaign_contact, campaign_response). An outbound contact counts as responded when its
-- outcome is answered, replied or clicked, or when an inbound event names it in in_reply_to;
-- response_minutes is the time from the contact to the first such reply. Calls: answered /
-- rejected / no_answer outcomes of our outbound calls. inbound_initiated = inbound contacts
-- that answer nothing (the customer started the conversation).
SELECT
    profile_id,
    channel,
    countIf(direction = 'outbound') AS outbound,
    countIf(direction = 'inbound') AS inbound,
    countIf(direction = 'inbound' AND in_reply_to = '') AS inbound_initiated,
    countIf(direction = 'outbound' AND (outcome IN ('answered', 'replied', 'clicked')
                                        OR got_reply = 1)) AS responded,
    round(if(countIf(direction = 'outbound') = 0, 0.,
             countIf(direction = 'outbound' AND (outcome IN ('answered', 'replied', 'clicked')
                                                 OR got_reply = 1))
             / countIf(direction = 'outbound')), 3) AS response_rate,
    countIf(event_type = 'call' AND direction = 'outbound' AND outcome = 'answered') AS calls_answered,
    countIf(event_type = 'call' AND direction = 'outbound' AND outcome = 'rejected') AS calls_rejected,
    countIf(event_type = 'call' AND direction = 'outbound' AND outcome = 'no_answer')
        AS calls_no_answer,
    round(if(countIf(got_reply = 1) = 0, -1.,
             quantileExactIf(0.5)(dateDiff('second', event_time, reply_time) / 60.,
                                  got_reply = 1)), 1) AS median_response_minutes,
    max(event_time) AS last_contact_time
FROM
(
    SELECT current_profile_id AS profile_id, channel, direction, outcome, in_reply_to,
           event_type, event_time, event_id
    FROM {database}.events_current
    WHERE event_type IN ('call', 'email', 'sms', 'letter', 'campaign_contact', 'campaign_response')
      AND channel != '' AND event_date <= {as_of}
) AS l1
ANY LEFT JOIN
(
    SELECT in_reply_to AS event_id, toUInt8(1) AS got_reply, min(event_time) AS reply_time
    FROM {database}.events_current
    WHERE in_reply_to != '' AND direction = 'inbound' AND event_date <= {as_of}
    GROUP BY in_reply_to
) AS r1 USING (event_id)
GROUP BY profile_id, channel
ORDER BY profile_id, channel
