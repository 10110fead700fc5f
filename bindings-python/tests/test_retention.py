"""BG/NBD and Gamma-Gamma from Python: the CDNOW anchor core's tests use, predictions by
hand, every kind of column input, and typed errors naming the field."""

import csv
import math
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import creator_crm as crm
from creator_crm import InvalidInputError

CDNOW = Path(__file__).resolve().parents[2] / "core" / "tests" / "data" / "cdnow"
PUBLISHED = crm.BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426)


def read(name):
    with open(CDNOW / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def cdnow():
    rows = read("cdnow_customers_summary.csv")
    return (
        [int(r["frequency"]) for r in rows],
        [float(r["recency"]) for r in rows],
        [float(r["T"]) for r in rows],
    )


@pytest.fixture(scope="module")
def fit(cdnow):
    return crm.fit_bgnbd(*cdnow)


def close(got, want, rel):
    return abs(got - want) <= rel * abs(want)


def test_bgnbd_fit_matches_the_published_cdnow_estimates(fit):
    # Fader, Hardie & Lee (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426.
    for got, want in [(fit.r, 0.243), (fit.alpha, 4.414), (fit.a, 0.793), (fit.b, 2.426)]:
        assert close(got, want, 0.005), (got, want)
    assert fit.log_likelihood is not None
    assert abs(fit.log_likelihood - -9582.43) < 0.01
    assert fit.fit is not None
    assert fit.fit["customers"] == 2357
    assert fit.fit["method"] == "lbfgs" and fit.fit["converged"] is True
    # The standard errors of core's snapshot (4 decimals).
    se = fit.std_errors
    assert se is not None
    assert {k: round(v, 4) for k, v in se.items() if v is not None} == {
        "r": 0.0126, "alpha": 0.3782, "a": 0.1857, "b": 0.7053,
    }


def test_every_column_kind_gives_the_same_fit(cdnow, fit):
    f, r, t = cdnow
    for args in [
        (pa.array(f, pa.int64()), pa.array(r), pa.chunked_array([t[:1000], t[1000:]])),
        (np.array(f), np.array(r), np.array(t)),
        (pd.Series(f), pd.Series(r), pd.Series(t)),
        (tuple(float(x) for x in f), r, t),
    ]:
        other = crm.fit_bgnbd(*args)
        assert (other.r, other.alpha, other.a, other.b) == (fit.r, fit.alpha, fit.a, fit.b)


def test_p_alive_by_hand():
    assert PUBLISHED.p_alive(0, 0.0, 38.86) == 1.0
    d = 0.793 / (2.426 + 1.0) * ((4.414 + 38.86) / (4.414 + 30.43)) ** 2.243
    assert math.isclose(PUBLISHED.p_alive(2, 30.43, 38.86), 1 / (1 + d), rel_tol=1e-12)
    # A purchase at the very end of the window: D = a / (b + x - 1).
    want = 1 / (1 + 0.793 / (2.426 + 4.0))
    assert math.isclose(PUBLISHED.p_alive(5, 20, 20), want, rel_tol=1e-12)


def test_predictions_take_columns_and_broadcast_scalars():
    alive = PUBLISHED.p_alive([0, 2, 5], [0.0, 30.43, 20.0], pa.array([38.86, 38.86, 20.0]))
    assert isinstance(alive, pa.DoubleArray)
    assert alive.to_pylist() == [
        PUBLISHED.p_alive(0, 0.0, 38.86),
        PUBLISHED.p_alive(2, 30.43, 38.86),
        PUBLISHED.p_alive(5, 20.0, 20.0),
    ]
    same_t = PUBLISHED.p_alive(np.array([1, 2]), [10.0, 20.0], 38.86)
    assert same_t.to_pylist() == [
        PUBLISHED.p_alive(1, 10.0, 38.86), PUBLISHED.p_alive(2, 20.0, 38.86),
    ]
    horizons = PUBLISHED.expected_purchases([1.0, 39.0], 0, 0.0, 0.0)
    assert horizons.to_pylist() == PUBLISHED.expected_purchases_new([1.0, 39.0]).to_pylist()


def test_expected_purchases_by_hand():
    # b = 1, a = 2, r = 1, alpha = 1, x = 0, T = 1: 2F1(1, 1; 2; z) = -ln(1-z)/z, so
    # E[Y(t)] = 2 (1 - (2/(2+t)) (-ln(1-z)/z)) with z = t/(2+t).
    m = crm.BgNbd(r=1.0, alpha=1.0, a=2.0, b=1.0)
    t = 3.0
    z = t / (2 + t)
    want = 2 * (1 - (2 / (2 + t)) * (-math.log(1 - z) / z))
    assert math.isclose(m.expected_purchases(t, 0, 0.0, 1.0), want, rel_tol=1e-12)
    assert PUBLISHED.expected_purchases_new(0.0) == 0.0
    active = PUBLISHED.expected_purchases(39, 10, 38, 38.86)
    silent = PUBLISHED.expected_purchases(39, 10, 5, 38.86)
    assert active > 5 and silent < 0.5


def test_a_model_from_parameters_has_no_fit():
    assert (PUBLISHED.r, PUBLISHED.alpha, PUBLISHED.a, PUBLISHED.b) == (0.243, 4.414, 0.793, 2.426)
    assert PUBLISHED.std_errors is None and PUBLISHED.fit is None
    assert PUBLISHED.log_likelihood is None
    assert repr(PUBLISHED) == "BgNbd(r=0.243, alpha=4.414, a=0.793, b=2.426)"


@pytest.mark.parametrize(
    "args, field, text",
    [
        (([1, 2], [1.0], [2.0, 3.0]), "frequency", "differ in length"),
        (([], [], []), "frequency", "no customers"),
        (([1], [-1.0], [2.0]), "recency", "customer 0"),
        (([0, 1], [0.0, 3.0], [2.0, 2.0]), "recency", "customer 1"),
        (([0], [0.0], [-2.0]), "age", "customer 0"),
        (([1.5], [1.0], [2.0]), "frequency", "whole number"),
        (([-1], [0.0], [2.0]), "frequency", "whole number"),
        (([1, None], [1.0, 1.0], [2.0, 2.0]), "frequency", "customer 1"),
        (([1, 1], pa.array([1.0, None]), [2.0, 2.0]), "recency", "customer 1"),
        (([1, 1], [1.0, 1.0], np.array([2.0, np.nan])), "age", "customer 1"),
    ],
)
def test_bad_fit_input_raises_invalid_input_naming_the_field(args, field, text):
    with pytest.raises(InvalidInputError, match=text) as e:
        crm.fit_bgnbd(*args)
    assert e.value.field == field
    assert field in str(e.value)


def test_bad_prediction_input_raises_invalid_input():
    with pytest.raises(InvalidInputError, match="recency has 3 values, frequency has 2") as e:
        PUBLISHED.p_alive([1, 2], [1.0, 2.0, 3.0], 10.0)
    assert e.value.field == "recency"
    with pytest.raises(InvalidInputError) as e:
        PUBLISHED.p_alive(1, 5.0, 4.0)
    assert e.value.field == "recency"
    with pytest.raises(InvalidInputError) as e:
        PUBLISHED.expected_purchases(-1.0, 1, 1.0, 4.0)
    assert e.value.field == "t"
    with pytest.raises(InvalidInputError) as e:
        PUBLISHED.p_alive(0.5, 0.0, 4.0)
    assert e.value.field == "frequency"
    with pytest.raises(InvalidInputError, match="missing") as e:
        PUBLISHED.p_alive(None, 0.0, 4.0)  # type: ignore[call-overload]
    assert e.value.field == "frequency"
    with pytest.raises(TypeError):
        PUBLISHED.p_alive("one", 0.0, 4.0)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="recency"):
        crm.fit_bgnbd([1], ["0.5"], [1.0])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="one-dimensional"):
        crm.fit_bgnbd(np.zeros((2, 2)), [0.0, 0.0], [1.0, 1.0])


@pytest.fixture(scope="module")
def spend():
    rows = read("cdnow_customers_summary_with_transactions.csv")
    return [int(r["x"]) for r in rows], [Decimal(r["zbar"]) for r in rows]


def test_gamma_gamma_fit_matches_the_published_cdnow_estimates(spend):
    f, m = spend
    g = crm.fit_gamma_gamma(f, m)
    # Fader & Hardie (2013): p = 6.25, q = 3.74, gamma = 15.44 on 946 repeat customers.
    for got, want in [(g.p, 6.25), (g.q, 3.74), (g.gamma, 15.44)]:
        assert close(got, want, 0.005), (got, want)
    assert g.fit is not None and g.fit["customers"] == 946
    assert g.log_likelihood is not None and abs(g.log_likelihood - -4055.92) < 0.01
    assert g.std_errors is not None and g.std_errors["p"] is not None
    assert round(g.std_errors["p"], 4) == 1.1897
    exact = crm.fit_gamma_gamma(pa.array(f), pa.array(m, pa.decimal128(10, 2)))
    assert (exact.p, exact.q, exact.gamma) == (g.p, g.q, g.gamma)


def test_expected_spend_by_hand():
    g = crm.GammaGamma(p=6.25, q=3.74, gamma=15.44)
    # p (gamma + m x) / (p x + q - 1) = 6.25 (15.44 + 2 * 22.35) / (12.5 + 2.74) = 24.6555...
    assert g.expected_spend(2, Decimal("22.35")) == Decimal("24.66")
    # No repeat purchase: the population mean p gamma / (q - 1) = 35.2189...
    assert g.expected_spend(0, 0) == Decimal("35.22")
    column = g.expected_spend([2, 0], [Decimal("22.35"), Decimal(0)])
    assert isinstance(column, pa.Decimal128Array)
    assert column.type == pa.decimal128(38, 2)
    assert column.to_pylist() == [Decimal("24.66"), Decimal("35.22")]
    assert g.expected_spend(2, [22.35, 22.35]).to_pylist() == [Decimal("24.66")] * 2


def test_bad_spend_input_raises_invalid_input():
    with pytest.raises(InvalidInputError, match="customer 1") as e:
        crm.fit_gamma_gamma([1, 2], [Decimal(3), Decimal(-1)])
    assert e.value.field == "monetary"
    with pytest.raises(InvalidInputError, match="differ in length"):
        crm.fit_gamma_gamma([1, 2], [Decimal(3)])
    with pytest.raises(InvalidInputError) as e:
        crm.GammaGamma(p=6.25, q=3.74, gamma=15.44).expected_spend(1, Decimal(-5))
    assert e.value.field == "monetary"
    with pytest.raises(InvalidInputError, match="monetary has 3 values, frequency has 2"):
        crm.GammaGamma(p=6.25, q=3.74, gamma=15.44).expected_spend([1, 2], [1, 2, 3])
