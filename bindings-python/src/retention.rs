//! Python bindings of `creator_crm::analytics::retention`: BG/NBD and Gamma-Gamma fits.
//!
//! Inputs are columns of numbers (lists, numpy arrays, pandas Series, Arrow arrays; see
//! `numbers.rs`). The prediction methods take single numbers or columns, broadcast
//! together: all single numbers give a `float`, any column gives a `pyarrow.Array`.
//! Fits run with the GIL released.

use creator_crm::analytics::retention::{
    self, BgNbd, BgNbdFit, Estimate, FitInfo, GammaGamma, GammaGammaFit,
};
use pyo3::{IntoPyObjectExt, prelude::*, types::PyDict};
use rust_decimal::Decimal;

use crate::{
    errors,
    numbers::{self, Numbers},
};

/// The decimal places of `GammaGamma.expected_spend` (core rounds it to cents).
const SPEND_SCALE: u32 = 2;

/// The standard errors of `names` as a dict.
fn std_errors<'py>(
    py: Python<'py>,
    estimates: &[(&str, Estimate)],
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (name, e) in estimates {
        d.set_item(*name, e.std_error)?;
    }
    Ok(d)
}

/// How a fit ended, as a dict.
fn fit_info<'py>(py: Python<'py>, info: &FitInfo) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("log_likelihood", info.log_likelihood)?;
    d.set_item("customers", info.customers)?;
    d.set_item("iterations", info.iterations)?;
    d.set_item("method", info.method)?;
    d.set_item("converged", info.converged)?;
    Ok(d)
}

/// A BG/NBD model (Fader, Hardie & Lee 2005): Gamma(r, alpha) purchase rates and
/// Beta(a, b) drop-out probabilities, in the time unit of the data it was fitted on.
///
/// Made by `fit_bgnbd`, or from known parameters with `BgNbd(r, alpha, a, b)` (then
/// `std_errors` and `fit` are None).
///
/// Attributes:
///     r: Shape of the purchase-rate distribution.
///     alpha: Scale of the purchase-rate distribution.
///     a: First shape of the drop-out distribution.
///     b: Second shape of the drop-out distribution.
///     std_errors: Asymptotic standard error of each parameter (`r`, `alpha`, `a`,
///         `b`; None where the Hessian is not positive definite), or None.
///     fit: How the fit ended (`log_likelihood`, `customers`, `iterations`, `method`,
///         `converged`), or None.
///     log_likelihood: The log-likelihood at the optimum, or None.
#[pyclass(name = "BgNbd", module = "creator_crm", frozen)]
pub struct PyBgNbd {
    model: BgNbd,
    fit: Option<BgNbdFit>,
}

#[pymethods]
impl PyBgNbd {
    #[new]
    fn new(r: f64, alpha: f64, a: f64, b: f64) -> Self {
        PyBgNbd {
            model: BgNbd { r, alpha, a, b },
            fit: None,
        }
    }

    #[getter]
    fn r(&self) -> f64 {
        self.model.r
    }
    #[getter]
    fn alpha(&self) -> f64 {
        self.model.alpha
    }
    #[getter]
    fn a(&self) -> f64 {
        self.model.a
    }
    #[getter]
    fn b(&self) -> f64 {
        self.model.b
    }
    #[getter]
    fn std_errors<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.fit
            .as_ref()
            .map(|f| {
                std_errors(
                    py,
                    &[("r", f.r), ("alpha", f.alpha), ("a", f.a), ("b", f.b)],
                )
            })
            .transpose()
    }
    #[getter]
    fn fit<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.fit.as_ref().map(|f| fit_info(py, &f.info)).transpose()
    }
    #[getter]
    fn log_likelihood(&self) -> Option<f64> {
        self.fit.as_ref().map(|f| f.info.log_likelihood)
    }

    /// The probability that a customer is still alive.
    ///
    /// Args:
    ///     frequency: Repeat purchases (whole numbers at least 0).
    ///     recency: Time of the last purchase after the first (0 without repeats).
    ///     T: Age: time from the first purchase to the end of observation.
    ///
    /// Returns:
    ///     A `float` when every argument is a single number, else a `pyarrow.Array`
    ///     of `float64` (single numbers broadcast against the columns).
    ///
    /// Raises:
    ///     InvalidInputError: Naming the field: columns of different lengths, a
    ///         frequency that is not a whole number, a recency outside `[0, T]`, a
    ///         negative age (`age`), a missing value.
    #[pyo3(signature = (frequency, recency, T))]
    #[allow(non_snake_case)]
    fn p_alive<'py>(
        &self,
        py: Python<'py>,
        frequency: &Bound<'py, PyAny>,
        recency: &Bound<'py, PyAny>,
        T: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let f = numbers::numbers::<f64>(frequency, "frequency")?;
        let r = numbers::numbers::<f64>(recency, "recency")?;
        let t = numbers::numbers::<f64>(T, "age")?;
        let model = self.model;
        per_customer(
            py,
            &[("frequency", &f), ("recency", &r), ("age", &t)],
            |i| {
                let x = numbers::whole_at(&f, i, "frequency")?;
                model
                    .p_alive(
                        x,
                        numbers::at(&r, i, "recency")?,
                        numbers::at(&t, i, "age")?,
                    )
                    .map_err(errors::to_py_err)
            },
        )
    }

    /// Expected repeat purchases in the next `t` of a customer with this history.
    ///
    /// Args:
    ///     t: The horizon, in the data's time unit.
    ///     frequency: Repeat purchases (whole numbers at least 0).
    ///     recency: Time of the last purchase after the first (0 without repeats).
    ///     T: Age: time from the first purchase to the end of observation.
    ///
    /// Returns:
    ///     A `float` when every argument is a single number, else a `pyarrow.Array`
    ///     of `float64` (single numbers broadcast against the columns).
    ///
    /// Raises:
    ///     InvalidInputError: As `p_alive`, or a negative or too long horizon (`t`).
    #[pyo3(signature = (t, frequency, recency, T))]
    #[allow(non_snake_case)]
    fn expected_purchases<'py>(
        &self,
        py: Python<'py>,
        t: &Bound<'py, PyAny>,
        frequency: &Bound<'py, PyAny>,
        recency: &Bound<'py, PyAny>,
        T: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let h = numbers::numbers::<f64>(t, "t")?;
        let f = numbers::numbers::<f64>(frequency, "frequency")?;
        let r = numbers::numbers::<f64>(recency, "recency")?;
        let age = numbers::numbers::<f64>(T, "age")?;
        let model = self.model;
        per_customer(
            py,
            &[("t", &h), ("frequency", &f), ("recency", &r), ("age", &age)],
            |i| {
                let x = numbers::whole_at(&f, i, "frequency")?;
                model
                    .expected_purchases(
                        numbers::at(&h, i, "t")?,
                        x,
                        numbers::at(&r, i, "recency")?,
                        numbers::at(&age, i, "age")?,
                    )
                    .map_err(errors::to_py_err)
            },
        )
    }

    /// Expected repeat purchases of a new customer in `(0, t]`.
    ///
    /// Args:
    ///     t: The horizon (a number or a column).
    ///
    /// Returns:
    ///     A `float` for a single number, else a `pyarrow.Array` of `float64`.
    ///
    /// Raises:
    ///     InvalidInputError: A negative or too long horizon (`t`).
    fn expected_purchases_new<'py>(
        &self,
        py: Python<'py>,
        t: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let h = numbers::numbers::<f64>(t, "t")?;
        let model = self.model;
        per_customer(py, &[("t", &h)], |i| {
            model
                .expected_purchases_new(numbers::at(&h, i, "t")?)
                .map_err(errors::to_py_err)
        })
    }

    fn __repr__(&self) -> String {
        let m = self.model;
        format!("BgNbd(r={}, alpha={}, a={}, b={})", m.r, m.alpha, m.a, m.b)
    }
}

/// `f` of every row of the broadcast `args`: a `float` when all are single numbers,
/// else a `pyarrow.Array` (computed with the GIL released).
fn per_customer<'py>(
    py: Python<'py>,
    args: &[(&'static str, &Numbers<f64>)],
    f: impl Fn(usize) -> PyResult<f64> + Sync,
) -> PyResult<Bound<'py, PyAny>> {
    let lens: Vec<_> = args.iter().map(|(name, a)| (*name, a.len())).collect();
    match numbers::rows(&lens)? {
        None => f(0)?.into_bound_py_any(py),
        Some(n) => {
            let values = py.detach(|| (0..n).map(&f).collect::<PyResult<Vec<f64>>>())?;
            numbers::float_array(py, values)
        }
    }
}

/// Fits a BG/NBD model by maximum likelihood.
///
/// Args:
///     frequency: Per customer, repeat purchases (whole numbers at least 0): a list,
///         numpy array, pandas Series or Arrow array.
///     recency: Per customer, time of the last purchase after the first (0 without
///         repeats), in `[0, T]`.
///     T: Per customer, the age: time from the first purchase to the end of
///         observation (any time unit, the same for all three).
///
/// Returns:
///     A `BgNbd` with its standard errors and fit information.
///
/// Raises:
///     InvalidInputError: Naming the field (and the customer's index): columns of
///         different lengths or empty, a frequency that is not a whole number, a
///         recency outside `[0, T]`, a negative or infinite age (field `age`), a
///         missing value; field `fit` when no finite optimum is found.
#[pyfunction]
#[pyo3(signature = (frequency, recency, T))]
#[allow(non_snake_case)]
fn fit_bgnbd(
    py: Python<'_>,
    frequency: &Bound<'_, PyAny>,
    recency: &Bound<'_, PyAny>,
    T: &Bound<'_, PyAny>,
) -> PyResult<PyBgNbd> {
    let f = numbers::whole(
        &numbers::column::<f64>(frequency, "frequency")?,
        "frequency",
    )?;
    let r = numbers::column::<f64>(recency, "recency")?;
    let t = numbers::column::<f64>(T, "age")?;
    let fit = py
        .detach(|| retention::fit_bgnbd(&f, &r, &t))
        .map_err(errors::to_py_err)?;
    Ok(PyBgNbd {
        model: fit.model,
        fit: Some(fit),
    })
}

/// A Gamma-Gamma model of spend per transaction (Fader & Hardie 2013).
///
/// Made by `fit_gamma_gamma`, or from known parameters with `GammaGamma(p, q, gamma)`
/// (then `std_errors` and `fit` are None).
///
/// Attributes:
///     p: Shape of each transaction's value around the customer's mean.
///     q: Shape of the distribution of the customers' scale.
///     gamma: Scale of the distribution of the customers' scale.
///     std_errors: Standard error of each parameter (`p`, `q`, `gamma`), or None.
///     fit: How the fit ended, or None.
///     log_likelihood: The log-likelihood at the optimum, or None.
#[pyclass(name = "GammaGamma", module = "creator_crm", frozen)]
pub struct PyGammaGamma {
    model: GammaGamma,
    fit: Option<GammaGammaFit>,
}

#[pymethods]
impl PyGammaGamma {
    #[new]
    fn new(p: f64, q: f64, gamma: f64) -> Self {
        PyGammaGamma {
            model: GammaGamma { p, q, gamma },
            fit: None,
        }
    }

    #[getter]
    fn p(&self) -> f64 {
        self.model.p
    }
    #[getter]
    fn q(&self) -> f64 {
        self.model.q
    }
    #[getter]
    fn gamma(&self) -> f64 {
        self.model.gamma
    }
    #[getter]
    fn std_errors<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.fit
            .as_ref()
            .map(|f| std_errors(py, &[("p", f.p), ("q", f.q), ("gamma", f.gamma)]))
            .transpose()
    }
    #[getter]
    fn fit<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.fit.as_ref().map(|f| fit_info(py, &f.info)).transpose()
    }
    #[getter]
    fn log_likelihood(&self) -> Option<f64> {
        self.fit.as_ref().map(|f| f.info.log_likelihood)
    }

    /// The expected value of a transaction of a customer, rounded to cents.
    ///
    /// Args:
    ///     frequency: Repeat transactions (whole numbers at least 0; 0 gives the
    ///         population mean).
    ///     monetary: Their average value (`decimal.Decimal`, `int` or `float`; or a
    ///         column of them).
    ///
    /// Returns:
    ///     A `decimal.Decimal` when both arguments are single numbers, else a
    ///     `pyarrow.Array` of `decimal128(38, 2)`.
    ///
    /// Raises:
    ///     InvalidInputError: Naming the field: a negative monetary value, an infinite
    ///         expectation, columns of different lengths, a missing value.
    fn expected_spend<'py>(
        &self,
        py: Python<'py>,
        frequency: &Bound<'py, PyAny>,
        monetary: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let f = numbers::numbers::<f64>(frequency, "frequency")?;
        let m = numbers::numbers::<Decimal>(monetary, "monetary")?;
        let rows = numbers::rows(&[("frequency", f.len()), ("monetary", m.len())])?;
        let model = self.model;
        let one = |i: usize| -> PyResult<Decimal> {
            let x = numbers::whole_at(&f, i, "frequency")?;
            model
                .expected_spend(x, numbers::at(&m, i, "monetary")?)
                .map_err(errors::to_py_err)
        };
        match rows {
            None => {
                let d = one(0)?;
                py.import("decimal")?
                    .getattr("Decimal")?
                    .call1((d.to_string(),))
            }
            Some(n) => {
                let values = py.detach(|| (0..n).map(one).collect::<PyResult<Vec<Decimal>>>())?;
                numbers::decimal_array(py, &values, SPEND_SCALE)
            }
        }
    }

    fn __repr__(&self) -> String {
        let m = self.model;
        format!("GammaGamma(p={}, q={}, gamma={})", m.p, m.q, m.gamma)
    }
}

/// Fits a Gamma-Gamma spend model by maximum likelihood. Customers without repeat
/// transactions carry no spend information and are skipped.
///
/// Args:
///     frequency: Per customer, repeat transactions (whole numbers at least 0).
///     monetary: Per customer, the average value of those transactions
///         (`decimal.Decimal`, `int` or `float`; Arrow decimals are read exactly).
///
/// Returns:
///     A `GammaGamma` with its standard errors and fit information.
///
/// Raises:
///     InvalidInputError: Naming the field: columns of different lengths, a customer
///         with repeat transactions and a monetary value of 0 or less, no customer with
///         repeat transactions, a missing value; field `fit` when no finite optimum is
///         found.
#[pyfunction]
fn fit_gamma_gamma(
    py: Python<'_>,
    frequency: &Bound<'_, PyAny>,
    monetary: &Bound<'_, PyAny>,
) -> PyResult<PyGammaGamma> {
    let f = numbers::whole(
        &numbers::column::<f64>(frequency, "frequency")?,
        "frequency",
    )?;
    let m = numbers::column::<Decimal>(monetary, "monetary")?;
    let fit = py
        .detach(|| retention::fit_gamma_gamma(&f, &m))
        .map_err(errors::to_py_err)?;
    Ok(PyGammaGamma {
        model: fit.model,
        fit: Some(fit),
    })
}

/// Registers the retention functions and classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(fit_bgnbd, m)?)?;
    m.add_function(wrap_pyfunction!(fit_gamma_gamma, m)?)?;
    m.add_class::<PyBgNbd>()?;
    m.add_class::<PyGammaGamma>()?;
    Ok(())
}
