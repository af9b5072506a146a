-- title: Invoice status
-- params: as_of
-- One row per invoice (invoice_id) of a current profile, as of {as_of}: issued, due and paid
-- dates, amount, amount paid, payment reminders sent, open amount and its ageing bucket. An invoice is paid when any of
-- its events carries a paid_date on or before as_of, or when payment_received amounts cover it.
-- Without a due_date the payment term defaults to 30 days after issue.
SELECT
    profile_id,
    invoice_id,
    issued_date,
    due_date,
    paid_date,
    amount,
    paid_amount,
    paid,
    reminders,
    if(paid = 1, 0., greatest(amount - paid_amount, 0.)) AS open_amount,
    if(paid = 1, dateDiff('day', issued_date, paid_date), -1) AS days_to_pay,
    if(paid = 1, toInt64(paid_date > due_date), toInt64(0)) AS paid_late,
    dateDiff('day', issued_date, {as_of}) AS age_days,
    if(paid = 1, toInt64(0), greatest(dateDiff('day', due_date, {as_of}), toInt64(0))) AS overdue_days,
    multiIf(
        paid = 1, 'paid',
        dateDiff('day', issued_date, {as_of}) <= 30, '0-30',
        dateDiff('day', issued_date, {as_of}) <= 60, '31-60',
        dateDiff('day', issued_date, {as_of}) <= 90, '61-90',
        '90+') AS ageing_bucket
FROM
(
    SELECT
        profile_id,
        invoice_id,
        issued_date,
        if(due_raw > toDate(0), due_raw, addDays(issued_date, 30)) AS due_date,
        toUInt8(paid_raw > toDate(0) OR (inv_amount > 0 AND pay_amount >= inv_amount - 0.005))
            AS paid,
        multiIf(paid_raw > toDate(0), paid_raw,
                inv_amount > 0 AND pay_amount >= inv_amount - 0.005, last_payment_date,
                toDate(0)) AS paid_date,
        inv_amount AS amount,
        pay_amount AS paid_amount,
        reminders
    FROM
    (
        SELECT
            current_profile_id AS profile_id,
            invoice_id,
            if(countIf(event_type = 'invoice_issued') > 0,
               minIf(event_date, event_type = 'invoice_issued'), min(event_date)) AS issued_date,
            maxIf(due_date, due_date > toDate(0)) AS due_raw,
            minIf(paid_date, paid_date > toDate(0) AND paid_date <= {as_of}) AS paid_raw,
            maxIf(event_date, event_type = 'payment_received') AS last_payment_date,
            maxIf(amount, event_type = 'invoice_issued') AS inv_amount,
            sumIf(amount, event_type = 'payment_received') AS pay_amount,
            countIf(event_type = 'payment_reminder') AS reminders
        FROM {database}.events_current
        WHERE invoice_id != '' AND event_date <= {as_of}
        GROUP BY current_profile_id, invoice_id
    )
)
ORDER BY profile_id, issued_date, invoice_id
