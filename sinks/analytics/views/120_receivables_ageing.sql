-- title: Receivables ageing
-- params: as_of
-- Open (unpaid) invoices by age since issue: one row per bucket 0-30, 31-60, 61-90, 90+
-- (buckets without open invoices are absent), with the overdue part of each.
SELECT
    ageing_bucket,
    count() AS open_invoices,
    uniqExact(profile_id) AS customers,
    round(sum(inv_open), 2) AS open_amount,
    round(sumIf(inv_open, overdue_days > 0), 2) AS overdue_amount
FROM
(
    SELECT profile_id, ageing_bucket, open_amount AS inv_open, overdue_days
    FROM {view:invoice_status}
    WHERE paid = 0
)
GROUP BY ageing_bucket
ORDER BY indexOf(['0-30', '31-60', '61-90', '90+'], ageing_bucket)
