"""BG/NBD + Gamma-Gamma with pymc-marketing on a few hundred simulated customers (skipped when the
optional extra `cdp[clv]` is not installed; the import error then names the extra)."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from sinks.analytics import clv
from sinks.analytics.clv_summary import Customer

HAVE_PYMC_MARKETING = importlib.util.find_spec("pymc_marketing") is not None


def simulated(n: int = 300, seed: int = 7) -> list[Customer]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        t = float(rng.integers(60, 365))
        f = float(rng.poisson(2.5 if i % 2 else 0.7))
        r = float(round(t * rng.uniform(0.3, 1.0))) if f > 0 else 0.0
        m = float(rng.gamma(4, 25)) if f > 0 else 0.0
        out.append(Customer(f"P{i}", f, r, t, m))
    return out


def test_missing_library_gives_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pymc(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("pymc_marketing"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_pymc)
    with pytest.raises(clv.ClvUnavailable, match=r"cdp\[clv\]"):
        clv.load_library()


def test_too_few_repeat_buyers_is_a_clear_error() -> None:
    if not HAVE_PYMC_MARKETING:
        pytest.skip("pymc-marketing not installed")
    few = [Customer("a", 1.0, 5.0, 10.0, 20.0), Customer("b", 0.0, 0.0, 10.0, 0.0)]
    with pytest.raises(clv.ClvDataError, match="repeat customers"):
        clv.fit(few, "2024-06-30")


@pytest.mark.skipif(not HAVE_PYMC_MARKETING, reason="pymc-marketing (cdp[clv]) not installed")
def test_fit_returns_parameters_distribution_and_ranked_customers() -> None:
    customers = simulated()
    result = clv.fit(customers, "2024-06-30", clv.ClvOptions(months=12, top=5))
    assert set(result.bg_nbd) == {"r", "alpha", "a", "b"}
    assert set(result.gamma_gamma) == {"p", "q", "v"}
    assert all(v > 0 for v in {**result.bg_nbd, **result.gamma_gamma}.values())
    assert result.customers == 300 and len(result.values) == 300
    assert all(v >= 0 for v in result.values.values())
    top = result.top_customers
    assert len(top) == 5 and top[0]["clv"] >= top[-1]["clv"] >= result.distribution["p50"]
    # more repeat purchases and higher spend -> more value, other things equal
    frequent = sorted(customers, key=lambda c: -c.frequency * c.monetary_value)[0]
    assert result.values[frequent.profile_id] > result.distribution["p75"]
    assert sum(h["customers"] for h in result.histogram) == 300
    assert result.jsonable()["total_clv"] == pytest.approx(sum(result.values.values()), rel=1e-6)
