-- title: Source coverage
-- params: as_of
-- One row per source system: events, current profiles it knows, their share of all current
-- profiles, how many profiles only this source knows, and the average number of sources per
-- profile among its customers.
SELECT
    source_system,
    sum(source_events) AS events,
    count() AS customers,
    round(count() / (SELECT uniqExact(current_profile_id) FROM {database}.events_current
                     WHERE event_date <= {as_of}), 4) AS customer_share,
    countIf(n_sources = 1) AS single_source_customers,
    round(avg(n_sources), 3) AS avg_sources_per_customer
FROM
(
    SELECT current_profile_id AS profile_id, source_system, count() AS source_events
    FROM {database}.events_current
    WHERE event_date <= {as_of}
    GROUP BY current_profile_id, source_system
) AS l1
ANY LEFT JOIN
(
    SELECT current_profile_id AS profile_id, uniqExact(source_system) AS n_sources
    FROM {database}.events_current
    WHERE event_date <= {as_of}
    GROUP BY current_profile_id
) AS r1 USING (profile_id)
GROUP BY source_system
ORDER BY customers DESC, source_system
