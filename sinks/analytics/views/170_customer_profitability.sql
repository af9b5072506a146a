-- title: Customer profitability
-- params: as_of
-- One row per current profile with revenue or cost: revenue = net order revenue (order_placed +
-- pos_purchase - order_returned - order_cancelled) + invoiced amounts not tied to an order
-- (premiums, subscriptions); cost_to_serve = the cost of every touchpoint (plus the amount of
-- cost_booked events that carry no cost). profit = revenue - cost_to_serve, margin = profit /
-- revenue. has_cost_data = 0 means no cost is known, so profit is revenue only.
SELECT
    profile_id,
    round(o_rev, 2) AS order_revenue,
    round(b_rev, 2) AS billed_revenue,
    round(o_rev + b_rev, 2) AS revenue,
    round(c_cost, 2) AS cost_to_serve,
    round(o_rev + b_rev - c_cost, 2) AS profit,
    round(if(o_rev + b_rev > 0, (o_rev + b_rev - c_cost) / (o_rev + b_rev), 0.), 4) AS margin,
    cost_events,
    toUInt8(cost_events > 0) AS has_cost_data
FROM
(
    SELECT
        current_profile_id AS profile_id,
        sumIf(amount, event_type IN ('order_placed', 'pos_purchase'))
            - sumIf(amount, event_type IN ('order_returned', 'order_cancelled')) AS o_rev,
        sumIf(amount, event_type = 'invoice_issued' AND order_id = '') AS b_rev,
        sumIf(cost, has_cost = 1)
            + sumIf(amount, event_type = 'cost_booked' AND has_cost = 0) AS c_cost,
        countIf(has_cost = 1 OR event_type = 'cost_booked') AS cost_events
    FROM {database}.events_current
    WHERE event_date <= {as_of}
    GROUP BY current_profile_id
)
WHERE o_rev != 0 OR b_rev != 0 OR cost_events > 0
ORDER BY profit DESC, profile_id
