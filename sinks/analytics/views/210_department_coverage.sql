-- title: Department coverage
-- params: as_of
-- One row per current profile that any department touched: which departments serve the
-- customer, and whether the departments know about each other. A department approached the
-- customer "blind" when its very first touchpoint with the customer is an outbound acquisition
-- contact (purpose acquisition: pitched as a prospect) made after another department already
-- had a touchpoint with them: it did not know the company already served the customer.
-- aware = 0 when that happened to the customer.
SELECT
    profile_id,
    arraySort(groupArray(department)) AS departments,
    count() AS department_count,
    toUInt8(count() > 1) AS multi_department,
    argMin(department, first_time) AS first_department,
    arraySort(groupArrayIf(department, blind = 1)) AS blind_departments,
    toUInt8(countIf(blind = 1) = 0) AS aware
FROM
(
    SELECT profile_id, department, first_time,
           toUInt8(first_acquisition = 1 AND first_time > customer_first_time) AS blind
    FROM
    (
        SELECT current_profile_id AS profile_id, department,
               min(event_time) AS first_time,
               argMin(toUInt8(direction = 'outbound' AND purpose = 'acquisition'), event_time)
                   AS first_acquisition
        FROM {database}.events_current
        WHERE department != '' AND event_date <= {as_of}
        GROUP BY current_profile_id, department
    ) AS l1
    ANY LEFT JOIN
    (
        SELECT current_profile_id AS profile_id, min(event_time) AS customer_first_time
        FROM {database}.events_current
        WHERE department != '' AND event_date <= {as_of}
        GROUP BY current_profile_id
    ) AS r1 USING (profile_id)
)
GROUP BY profile_id
ORDER BY profile_id
