-- title: Products held
-- params: as_of
-- One row per current profile that ever held a contract (policy or subscription): contracts are
-- keyed by policy_id (or the product when there is no policy_id). A contract is active when it
-- started on or before as_of and has no *_ended event and no end_date on or before as_of.
-- active_products names each active contract by its product, else its product category.
SELECT
    profile_id,
    arraySort(groupUniqArrayIf(product_name, active = 1 AND product_name != '')) AS active_products,
    arraySort(groupUniqArrayIf(category, active = 1 AND category != ''))
        AS active_categories,
    countIf(active = 1) AS active_contracts,
    countIf(active = 0) AS ended_contracts,
    min(started_date) AS customer_since
FROM
(
    SELECT
        current_profile_id AS profile_id,
        if(policy_id != '', policy_id, product) AS contract,
        argMaxIf(if(product != '', product, product_category), event_time,
                 product != '' OR product_category != '') AS product_name,
        argMaxIf(product_category, event_time, product_category != '') AS category,
        minIf(if(start_date > toDate(0), start_date, event_date), event_type IN
              ('policy_started', 'subscription_started')) AS started_date,
        toUInt8(countIf(event_type IN ('policy_started', 'subscription_started')) > 0
                AND countIf(event_type IN ('policy_ended', 'subscription_ended')) = 0
                AND countIf(end_date > toDate(0) AND end_date <= {as_of}) = 0) AS active
    FROM {database}.events_current
    WHERE event_type IN ('policy_started', 'policy_ended', 'subscription_started', 'subscription_ended')
      AND event_date <= {as_of}
      AND (policy_id != '' OR product != '')
    GROUP BY current_profile_id, contract
)
GROUP BY profile_id
ORDER BY profile_id
