-- title: Web engagement
-- params: as_of
-- One row per current profile with web activity (source web, or page_view / document_view /
-- login / signup events): visits = distinct days with web activity, page views, document views,
-- the distinct documents viewed (sorted, at most 20), logins, first and last visit.
SELECT
    current_profile_id AS profile_id,
    uniqExact(event_date) AS visits,
    countIf(event_type = 'page_view') AS page_views,
    countIf(event_type = 'document_view') AS document_views,
    uniqExactIf(document, document != '') AS distinct_documents,
    arraySlice(arraySort(groupUniqArrayIf(document, document != '')), 1, 20) AS documents,
    countIf(event_type = 'login') AS logins,
    min(event_time) AS first_visit,
    max(event_time) AS last_visit
FROM {database}.events_current
WHERE (source_system = 'web' OR event_type IN ('page_view', 'document_view', 'login', 'signup'))
  AND event_date <= {as_of}
GROUP BY current_profile_id
ORDER BY profile_id
