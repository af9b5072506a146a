-- title: RFM segments
-- params: as_of
-- RFM scores 1-5 per buyer from percent ranks (no window functions): score = 1 + floor(5 * share
-- of buyers strictly worse), so ties share a score; recency is better when smaller, frequency and
-- monetary when larger. Segment from R and F: champions (R>=4, F>=4), loyal (R>=3, F>=3),
-- new_customers (R>=4, F=1), potential_loyalists (other R>=3), cannot_lose_them (R<=2, F>=4),
-- at_risk (R<=2, F 2-3), hibernating (R<=2, F=1).
SELECT
    profile_id, recency_days, frequency, monetary, r_score, f_score, m_score,
    concat(toString(r_score), toString(f_score), toString(m_score)) AS rfm_cell,
    multiIf(
        r_score >= 4 AND f_score >= 4, 'champions',
        r_score >= 3 AND f_score >= 3, 'loyal',
        r_score >= 4 AND f_score = 1, 'new_customers',
        r_score >= 3, 'potential_loyalists',
        f_score >= 4, 'cannot_lose_them',
        f_score >= 2, 'at_risk',
        'hibernating') AS segment
FROM
(
    SELECT
        profile_id, recency_days, frequency, monetary, r_score, f_score,
        toUInt8(1 + least(4, intDiv(5 * m_worse, n_buyers))) AS m_score
    FROM
    (
        SELECT
            profile_id, recency_days, frequency, monetary, monetary_cents, n_buyers, r_score,
            toUInt8(1 + least(4, intDiv(5 * f_worse, n_buyers))) AS f_score
        FROM
        (
            SELECT
                profile_id, recency_days, frequency, monetary, monetary_cents, n_buyers,
                toUInt8(1 + least(4, intDiv(5 * r_worse, n_buyers))) AS r_score
            FROM
            (
                SELECT profile_id, recency_days, frequency, monetary, monetary_cents,
                       (SELECT count() FROM {view:rfm_base}) AS n_buyers
                FROM {view:rfm_base}
            ) AS l1
            ANY LEFT JOIN
            (
                -- buyers with a larger recency (worse) than each distinct recency: sorted by
                -- descending recency, the running count before a value
                SELECT -t.1 AS recency_days, t.2 AS r_worse
                FROM
                (
                    SELECT arrayJoin(arrayMap((v, c, s) -> (v, s - c), vals, cnts, arrayCumSum(cnts))) AS t
                    FROM
                    (
                        SELECT arrayMap(p -> p.1, pairs) AS vals, arrayMap(p -> p.2, pairs) AS cnts
                        FROM
                        (
                            SELECT arraySort(groupArray((-recency_days, c))) AS pairs
                            FROM (SELECT recency_days, count() AS c FROM {view:rfm_base}
                                  GROUP BY recency_days)
                        )
                    )
                )
            ) AS r1 USING (recency_days)
        ) AS l2
        ANY LEFT JOIN
        (
            -- buyers with a smaller frequency (worse) than each distinct frequency
            SELECT t.1 AS frequency, t.2 AS f_worse
            FROM
            (
                SELECT arrayJoin(arrayMap((v, c, s) -> (v, s - c), vals, cnts, arrayCumSum(cnts))) AS t
                FROM
                (
                    SELECT arrayMap(p -> p.1, pairs) AS vals, arrayMap(p -> p.2, pairs) AS cnts
                    FROM
                    (
                        SELECT arraySort(groupArray((frequency, c))) AS pairs
                        FROM (SELECT frequency, count() AS c FROM {view:rfm_base} GROUP BY frequency)
                    )
                )
            )
        ) AS r2 USING (frequency)
    ) AS l3
    ANY LEFT JOIN
    (
        -- buyers with a smaller monetary value (worse) than each distinct value (in cents)
        SELECT t.1 AS monetary_cents, t.2 AS m_worse
        FROM
        (
            SELECT arrayJoin(arrayMap((v, c, s) -> (v, s - c), vals, cnts, arrayCumSum(cnts))) AS t
            FROM
            (
                SELECT arrayMap(p -> p.1, pairs) AS vals, arrayMap(p -> p.2, pairs) AS cnts
                FROM
                (
                    SELECT arraySort(groupArray((monetary_cents, c))) AS pairs
                    FROM (SELECT monetary_cents, count() AS c FROM {view:rfm_base}
                          GROUP BY monetary_cents)
                )
            )
        )
    ) AS r3 USING (monetary_cents)
)
ORDER BY profile_id
