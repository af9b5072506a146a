-- title: Suppression list
-- params: as_of
-- One row per current profile that appears on acquisition lists (outbound contacts with
-- purpose acquisition) although it already is a customer: it has orders, policies or
-- subscriptions, or invoices. These profiles belong on every acquisition suppression list.
-- customer_since is the first order, contract or invoice; contacts_while_customer counts the
-- acquisition contacts made on or after that day.
SELECT
    profile_id,
    count() AS acquisition_contacts,
    countIf(contact_date >= cust_since) AS contacts_while_customer,
    arraySort(groupUniqArrayIf(contact_campaign, contact_campaign != '')) AS campaigns,
    arraySort(groupUniqArrayIf(contact_channel, contact_channel != '')) AS channels,
    max(contact_time) AS last_acquisition_contact,
    any(cust_since) AS customer_since,
    any(customer_orders) AS orders,
    any(customer_contracts) AS contracts,
    any(customer_invoices) AS invoices
FROM
(
    SELECT current_profile_id AS profile_id, event_date AS contact_date,
           event_time AS contact_time, campaign_id AS contact_campaign,
           channel AS contact_channel
    FROM {database}.events_current
    WHERE direction = 'outbound' AND purpose = 'acquisition' AND event_date <= {as_of}
) AS l1
ALL INNER JOIN
(
    SELECT
        current_profile_id AS profile_id,
        min(event_date) AS cust_since,
        uniqExactIf(if(order_id != '', order_id, event_id),
                    event_type IN ('order_placed', 'pos_purchase')) AS customer_orders,
        uniqExactIf(if(policy_id != '', policy_id, event_id),
                    event_type IN ('policy_started', 'subscription_started')) AS customer_contracts,
        uniqExactIf(invoice_id, invoice_id != '') AS customer_invoices
    FROM {database}.events_current
    WHERE event_type IN ('order_placed', 'pos_purchase', 'policy_started', 'subscription_started',
                         'invoice_issued')
      AND event_date <= {as_of}
    GROUP BY current_profile_id
) AS r1 USING (profile_id)
GROUP BY profile_id
ORDER BY last_acquisition_contact DESC, profile_id
