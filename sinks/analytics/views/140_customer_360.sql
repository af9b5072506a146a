-- title: Customer 360
-- params: as_of
-- One row per current profile (merged-away profiles are folded into their survivor): when first
-- and last seen, which source systems and departments know them, orders and net revenue,
-- invoices and open receivables, complaints (open until a complaint_closed event or a closed
-- status), contacts in and out, web visits and documents, and the products (policies,
-- subscriptions) they hold now.
SELECT
    profile_id, household_id, first_seen, last_seen, events, source_systems, departments,
    orders, revenue, last_order_time, invoices, open_receivables, overdue_amount,
    complaints, open_complaints, contacts_inbound, contacts_outbound, last_contact_time,
    web_visits, page_views, documents_viewed, active_products, active_contracts
FROM
(
    SELECT
        profile_id, household_id, first_seen, last_seen, events, source_systems, departments,
        orders, revenue, last_order_time, invoices, open_receivables, overdue_amount,
        complaints, open_complaints, contacts_inbound, contacts_outbound, last_contact_time,
        web_visits, page_views, documents_viewed
    FROM
    (
        SELECT
            profile_id, hh_id AS household_id, first_seen, last_seen, events, source_systems,
            departments, orders, revenue, last_order_time, invoices, open_receivables,
            overdue_amount, complaints, contacts_inbound, contacts_outbound, last_contact_time,
            web_visits, page_views, documents_viewed
        FROM
        (
            SELECT
                current_profile_id AS profile_id,
                argMaxIf(household_id, event_time, household_id != '') AS hh_id,
                min(event_time) AS first_seen,
                max(event_time) AS last_seen,
                count() AS events,
                arraySort(groupUniqArray(source_system)) AS source_systems,
                arraySort(groupUniqArrayIf(department, department != '')) AS departments,
                uniqExactIf(if(order_id != '', order_id, event_id),
                            event_type IN ('order_placed', 'pos_purchase')) AS orders,
                round(sumIf(amount, event_type IN ('order_placed', 'pos_purchase'))
                      - sumIf(amount, event_type IN ('order_returned', 'order_cancelled')), 2)
                    AS revenue,
                maxIf(event_time, event_type IN ('order_placed', 'pos_purchase'))
                    AS last_order_time,
                uniqExactIf(complaint_id, event_type = 'complaint_opened') AS complaints,
                countIf(direction = 'inbound' AND event_type IN
                        ('call', 'email', 'sms', 'letter', 'campaign_contact', 'campaign_response'))
                    AS contacts_inbound,
                countIf(direction = 'outbound' AND event_type IN
                        ('call', 'email', 'sms', 'letter', 'campaign_contact', 'campaign_response'))
                    AS contacts_outbound,
                maxIf(event_time, event_type IN
                      ('call', 'email', 'sms', 'letter', 'campaign_contact', 'campaign_response'))
                    AS last_contact_time,
                uniqExactIf(event_date, source_system = 'web' OR event_type IN
                            ('page_view', 'document_view', 'login', 'signup')) AS web_visits,
                countIf(event_type = 'page_view') AS page_views,
                countIf(event_type = 'document_view') AS documents_viewed
            FROM {database}.events_current
            WHERE event_date <= {as_of}
            GROUP BY current_profile_id
        ) AS l1
        ANY LEFT JOIN
        (
            SELECT profile_id, count() AS invoices,
                   round(sum(open_amount), 2) AS open_receivables,
                   round(sumIf(open_amount, overdue_days > 0), 2) AS overdue_amount
            FROM {view:invoice_status}
            GROUP BY profile_id
        ) AS r1 USING (profile_id)
    ) AS l2
    ANY LEFT JOIN
    (
        SELECT profile_id, countIf(is_closed = 0) AS open_complaints
        FROM
        (
            SELECT current_profile_id AS profile_id, complaint_id,
                   max(toUInt8(event_type = 'complaint_closed' OR complaint_status = 'closed'))
                       AS is_closed
            FROM {database}.events_current
            WHERE complaint_id != '' AND event_date <= {as_of}
            GROUP BY current_profile_id, complaint_id
        )
        GROUP BY profile_id
    ) AS r2 USING (profile_id)
) AS l3
ANY LEFT JOIN
(
    SELECT profile_id, active_products, active_contracts FROM {view:products_held}
) AS r3 USING (profile_id)
ORDER BY profile_id
