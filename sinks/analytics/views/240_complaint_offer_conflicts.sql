-- title: Complaint-then-offer conflicts
-- params: as_of, days
-- One row per outbound sales offer (purpose cross_sell, upsell or acquisition) sent to a
-- current profile within {days} days (default 14) after that customer opened a complaint
-- (complaint_opened), with the latest such complaint. Run with --days N for another window.
SELECT
    profile_id,
    offer_event_id,
    offer_time,
    offer_purpose,
    offer_channel,
    offer_department,
    offer_campaign_id,
    argMax(c_id, c_time) AS complaint_id,
    max(c_time) AS complaint_time,
    round(dateDiff('second', max(c_time), offer_time) / 86400., 2) AS days_after_complaint
FROM
(
    SELECT current_profile_id AS profile_id, event_id AS offer_event_id, event_time AS offer_time,
           purpose AS offer_purpose, channel AS offer_channel, department AS offer_department,
           campaign_id AS offer_campaign_id
    FROM {database}.events_current
    WHERE direction = 'outbound' AND purpose IN ('cross_sell', 'upsell', 'acquisition')
      AND event_date <= {as_of}
) AS l1
ALL INNER JOIN
(
    SELECT current_profile_id AS profile_id, complaint_id AS c_id, event_time AS c_time
    FROM {database}.events_current
    WHERE event_type = 'complaint_opened' AND event_date <= {as_of}
) AS r1 USING (profile_id)
WHERE c_time <= offer_time AND offer_time <= c_time + {days} * 86400
GROUP BY profile_id, offer_event_id, offer_time, offer_purpose, offer_channel, offer_department,
         offer_campaign_id
ORDER BY offer_time, profile_id, offer_event_id
