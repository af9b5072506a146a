"""The RFM summary BG/NBD and Gamma-Gamma need, one row per current profile that bought on or
before the calibration end, in the "repeat transactions" convention of Fader/Hardie (and of
pymc-marketing and lifetimes): purchases are aggregated per day; frequency = purchase days - 1,
recency = days from the first to the last purchase day, T = days from the first purchase day to
the calibration end, monetary_value = mean spend of the repeat purchase days (0 without any).
Runs on ClickHouse 18.16 and current ClickHouse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from sinks.analytics.catalogue import sql_value

SUMMARY_SQL = """
SELECT
    profile_id,
    toFloat64(count() - 1) AS frequency,
    toFloat64(dateDiff('day', min(purchase_day), max(purchase_day))) AS recency,
    toFloat64(dateDiff('day', min(purchase_day), {calibration_end})) AS T,
    if(count() > 1, (sum(day_amount) - argMin(day_amount, purchase_day)) / (count() - 1), 0.)
        AS monetary_value
FROM
(
    SELECT current_profile_id AS profile_id, event_date AS purchase_day, sum(amount) AS day_amount
    FROM {database}.events_current
    WHERE event_type IN ('order_placed', 'pos_purchase') AND event_date <= {calibration_end}
    GROUP BY current_profile_id, event_date
    HAVING day_amount > 0
)
GROUP BY profile_id
ORDER BY profile_id
"""


class Queries(Protocol):
    def execute(self, query: str, *args: Any, **kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class Customer:
    profile_id: str
    frequency: float
    recency: float
    T: float  # noqa: N815 - the literature's name
    monetary_value: float


def summary_sql(database: str, calibration_end: str) -> str:
    end = sql_value("as_of", calibration_end)
    return SUMMARY_SQL.replace("{calibration_end}", end).replace("{database}", database)


def load_summary(client: Queries, database: str, calibration_end: str) -> list[Customer]:
    rows = client.execute(summary_sql(database, calibration_end))
    return [Customer(str(p), float(f), float(r), float(t), float(m)) for p, f, r, t, m in rows]
