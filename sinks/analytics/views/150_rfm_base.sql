-- title: RFM base
-- params: as_of
-- One row per current profile with at least one purchase (order_placed, pos_purchase) on or
-- before as_of: recency_days (days from the last purchase to as_of), frequency (distinct orders;
-- order_id, else event_id) and monetary (purchases minus returns and cancellations).
SELECT
    profile_id,
    first_purchase,
    last_purchase,
    dateDiff('day', last_purchase, {as_of}) AS recency_days,
    frequency,
    monetary,
    toInt64(round(monetary * 100)) AS monetary_cents
FROM
(
    SELECT
        current_profile_id AS profile_id,
        minIf(event_date, event_type IN ('order_placed', 'pos_purchase')) AS first_purchase,
        maxIf(event_date, event_type IN ('order_placed', 'pos_purchase')) AS last_purchase,
        uniqExactIf(if(order_id != '', order_id, event_id),
                    event_type IN ('order_placed', 'pos_purchase')) AS frequency,
        round(sumIf(amount, event_type IN ('order_placed', 'pos_purchase'))
              - sumIf(amount, event_type IN ('order_returned', 'order_cancelled')), 2) AS monetary
    FROM {database}.events_current
    WHERE event_type IN ('order_placed', 'pos_purchase', 'order_returned', 'order_cancelled')
      AND event_date <= {as_of}
    GROUP BY current_profile_id
    HAVING frequency > 0
)
ORDER BY profile_id
