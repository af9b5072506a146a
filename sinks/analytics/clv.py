"""Customer lifetime value: BG/NBD (how many purchases) + Gamma-Gamma (how much each) fitted
with pymc-marketing's CLV module (maximum a posteriori: fast, deterministic).

pymc-marketing is an optional extra (``pip install 'cdp[clv]'``): it pulls in PyMC and PyTensor.
Without it, ``fit`` raises ClvUnavailable with that instruction."""

from __future__ import annotations

import logging
import math
import warnings
from dataclasses import asdict, dataclass, field
from typing import Any

from sinks.analytics.clv_summary import Customer

INSTALL_HINT = "CLV needs pymc-marketing: pip install 'cdp[clv]' (or pip install pymc-marketing)"
MIN_REPEAT_CUSTOMERS = 10
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9, 0.99)


class ClvUnavailable(RuntimeError):
    """The CLV library is not installed."""


class ClvDataError(ValueError):
    """Too little purchase history to fit the models."""


@dataclass(frozen=True)
class ClvOptions:
    months: int = 12  # CLV horizon
    discount_rate: float = 0.01  # monthly
    top: int = 20


@dataclass
class ClvResult:
    calibration_end: str
    customers: int
    repeat_customers: int
    bg_nbd: dict[str, float]
    gamma_gamma: dict[str, float]
    months: int
    discount_rate: float
    total_clv: float
    distribution: dict[str, float]
    histogram: list[dict[str, float]]
    top_customers: list[dict[str, Any]] = field(default_factory=list)
    values: dict[str, float] = field(default_factory=dict, repr=False)

    def jsonable(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("values")
        return data


def load_library() -> Any:
    try:
        from pymc_marketing import clv
    except ImportError as exc:
        raise ClvUnavailable(INSTALL_HINT) from exc
    return clv


def _frame(customers: list[Customer]) -> Any:
    import pandas as pd

    frame = pd.DataFrame([c.__dict__ for c in customers])
    return frame.rename(columns={"profile_id": "customer_id"})


def _quiet() -> None:
    warnings.filterwarnings("ignore")
    for name in ("pymc", "pytensor", "pymc_marketing", "arviz"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _params(model: Any, names: tuple[str, ...]) -> dict[str, float]:
    summary = model.fit_summary()
    return {n: round(float(summary[n]), 6) for n in names if n in summary.index}


def _fit_models(clv: Any, frame: Any) -> tuple[Any, Any]:
    bg = clv.BetaGeoModel(data=frame[["customer_id", "frequency", "recency", "T"]])
    bg.fit(method="map", progressbar=False)
    repeat = frame[frame.frequency > 0]
    gg = clv.GammaGammaModel(data=repeat[["customer_id", "frequency", "monetary_value"]])
    gg.fit(method="map", progressbar=False)
    return bg, gg


def _point(values: Any) -> Any:
    dims = [d for d in ("chain", "draw") if d in values.dims]
    return values.mean(dims) if dims else values


def histogram(values: list[float], bins: int = 20) -> list[dict[str, float]]:
    if not values:
        return []
    low, high = min(values), max(values)
    width = (high - low) / bins or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(int((v - low) / width), bins - 1)] += 1
    return [
        {"low": round(low + i * width, 2), "high": round(low + (i + 1) * width, 2), "customers": c}
        for i, c in enumerate(counts)
    ]


def distribution(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    out = {
        f"p{round(q * 100)}": round(ordered[min(int(q * len(ordered)), len(ordered) - 1)], 2)
        for q in QUANTILES
    }
    out["mean"] = round(sum(ordered) / len(ordered), 2)
    out["max"] = round(ordered[-1], 2)
    return out


def fit(
    customers: list[Customer], calibration_end: str, options: ClvOptions | None = None
) -> ClvResult:
    """Fit BG/NBD + Gamma-Gamma on the summary and value every customer over the horizon."""
    options = options or ClvOptions()
    clv = load_library()
    repeat = sum(1 for c in customers if c.frequency > 0)
    if repeat < MIN_REPEAT_CUSTOMERS:
        raise ClvDataError(
            f"{repeat} repeat customers before {calibration_end}; "
            f"need at least {MIN_REPEAT_CUSTOMERS} to fit Gamma-Gamma"
        )
    _quiet()
    frame = _frame(customers)
    bg, gg = _fit_models(clv, frame)
    purchases = _point(bg.expected_purchases(data=frame, future_t=options.months * 30))
    value = _point(
        gg.expected_customer_lifetime_value(
            transaction_model=bg,
            data=frame,
            future_t=options.months,
            discount_rate=options.discount_rate,
            time_unit="D",
        )
    )
    ids = [str(i) for i in value.coords["customer_id"].values]
    clvs = {
        i: float(v) if math.isfinite(float(v)) else 0.0
        for i, v in zip(ids, value.values, strict=True)
    }
    expected = {
        str(i): float(v)
        for i, v in zip(purchases.coords["customer_id"].values, purchases.values, strict=True)
    }
    return ClvResult(
        calibration_end=calibration_end,
        customers=len(customers),
        repeat_customers=repeat,
        bg_nbd=_params(bg, ("r", "alpha", "a", "b")),
        gamma_gamma=_params(gg, ("p", "q", "v")),
        months=options.months,
        discount_rate=options.discount_rate,
        total_clv=round(sum(clvs.values()), 2),
        distribution=distribution(list(clvs.values())),
        histogram=histogram(list(clvs.values())),
        top_customers=_top(customers, clvs, expected, options.top),
        values=clvs,
    )


def _top(
    customers: list[Customer], clvs: dict[str, float], expected: dict[str, float], n: int
) -> list[dict[str, Any]]:
    ranked = sorted(customers, key=lambda c: -clvs.get(c.profile_id, 0.0))[:n]
    return [
        {
            "profile_id": c.profile_id,
            "frequency": c.frequency,
            "recency": c.recency,
            "T": c.T,
            "monetary_value": round(c.monetary_value, 2),
            "expected_purchases": round(expected.get(c.profile_id, 0.0), 3),
            "clv": round(clvs.get(c.profile_id, 0.0), 2),
        }
        for c in ranked
    ]
