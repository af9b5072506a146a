-- title: Payment behaviour
-- params: as_of
-- One row per current profile with invoices: how fast they pay (days from issue to payment),
-- how often late (paid after the due date), open receivables and their ageing by days since
-- issue (0-30, 31-60, 61-90, 90+), and the overdue amount (open and past the due date).
SELECT
    profile_id,
    count() AS invoices,
    countIf(is_paid = 1) AS paid_invoices,
    countIf(is_paid = 0) AS open_invoices,
    round(if(countIf(is_paid = 1) = 0, 0., avgIf(pay_days, is_paid = 1)), 1) AS avg_days_to_pay,
    maxIf(pay_days, is_paid = 1) AS max_days_to_pay,
    countIf(is_late = 1) AS paid_late,
    sum(inv_reminders) AS reminders,
    round(if(countIf(is_paid = 1) = 0, 0.,
             countIf(is_paid = 1 AND is_late = 0) / countIf(is_paid = 1)), 3) AS on_time_share,
    round(sum(inv_amount), 2) AS invoiced_amount,
    round(sum(inv_paid), 2) AS paid_amount,
    round(sum(inv_open), 2) AS open_amount,
    round(sumIf(inv_open, inv_overdue_days > 0), 2) AS overdue_amount,
    round(sumIf(inv_open, bucket = '0-30'), 2) AS open_0_30,
    round(sumIf(inv_open, bucket = '31-60'), 2) AS open_31_60,
    round(sumIf(inv_open, bucket = '61-90'), 2) AS open_61_90,
    round(sumIf(inv_open, bucket = '90+'), 2) AS open_90_plus
FROM
(
    SELECT profile_id, paid AS is_paid, days_to_pay AS pay_days, paid_late AS is_late,
           amount AS inv_amount, paid_amount AS inv_paid, open_amount AS inv_open,
           overdue_days AS inv_overdue_days, ageing_bucket AS bucket,
           reminders AS inv_reminders
    FROM {view:invoice_status}
)
GROUP BY profile_id
ORDER BY open_amount DESC, profile_id
