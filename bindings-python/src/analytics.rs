//! Python bindings of `creator_crm::analytics`: the dashboard tables over a `MergeResult`.
//!
//! Every table is a `pyarrow.Table` built from core's row type of that table
//! (`table_columns(name)`), so its columns are those of core's CSV export. The one-row
//! overall conversion is a dict with the same columns. Every call runs with the GIL
//! released.
//!
//! A period is a `(start, end)` pair of `datetime.date`s (or ISO 8601 date strings): the
//! days from `start` up to, not including, `end`.

use std::{path::PathBuf, sync::Arc};

use chrono::NaiveDate;
use creator_crm::{
    Error,
    analytics::{self, DashboardOptions, Metric, Period},
    export,
};
use pyo3::{
    prelude::*,
    types::{PyDict, PyTuple},
};

use crate::{data, errors, merge::MergeResult, table};

/// Reads a `(start, end)` pair of dates; `field` names it in errors.
fn period(obj: &Bound<'_, PyAny>, field: &'static str) -> PyResult<Period> {
    let bad = || {
        errors::to_py_err(Error::invalid(
            field,
            "expected a (start, end) pair of dates",
        ))
    };
    let items: Vec<Bound<'_, PyAny>> = obj
        .try_iter()
        .map_err(|_| bad())?
        .collect::<PyResult<_>>()?;
    let [start, end] = items.as_slice() else {
        return Err(bad());
    };
    let start: NaiveDate = data::from_py(start, field)?;
    let end: NaiveDate = data::from_py(end, field)?;
    Period::new(start, end).map_err(errors::to_py_err)
}

/// Reads a count argument (`within_days`, `limit`, `top`): a whole number at least 0.
fn count<T: TryFrom<i64>>(value: i64, field: &'static str) -> PyResult<T> {
    T::try_from(value).map_err(|_| {
        errors::to_py_err(Error::invalid(
            field,
            format!("{field} must be a whole number at least 0"),
        ))
    })
}

/// A period as a `(start, end)` tuple of dates.
fn period_to_py<'py>(py: Python<'py>, p: Period) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(
        py,
        [
            data::date_to_py(py, p.start())?,
            data::date_to_py(py, p.end())?,
        ],
    )
}

/// Reads a metric name: `"gmv"`, `"items_sold"` or `"orders"`.
fn metric(name: &str) -> PyResult<Metric> {
    [Metric::Gmv, Metric::ItemsSold, Metric::Orders]
        .into_iter()
        .find(|m| m.as_str() == name)
        .ok_or_else(|| {
            errors::to_py_err(Error::invalid(
                "metric",
                "unknown metric (gmv, items_sold or orders)",
            ))
        })
}

/// Sample → video conversion per creator.
///
/// A sample converts when its creator posts a video on a day from the sample's delivered
/// day (else shipped, else created) to `within_days` days after it; cancelled orders are
/// not samples.
///
/// Args:
///     result: A `MergeResult` (with related records, the default).
///     within_days: The conversion window in days.
///
/// Returns:
///     A `pyarrow.Table`, one row per creator with samples, by handle:
///     `tiktok_username, samples, converted, rate` (`table_columns("sample_conversion")`).
///
/// Raises:
///     InvalidInputError: A negative `within_days`.
#[pyfunction]
#[pyo3(signature = (result, *, within_days = 30))]
fn sample_conversion<'py>(
    py: Python<'py>,
    result: &MergeResult,
    within_days: i64,
) -> PyResult<Bound<'py, PyAny>> {
    let days = count(within_days, "within_days")?;
    let r = result.shared();
    let rows = py.detach(|| analytics::sample_conversion(&r, days));
    table::to_pyarrow(py, &rows)
}

/// Sample → video conversion per product name (the sample export's product name).
///
/// Args:
///     result: A `MergeResult` (with related records, the default).
///     within_days: The conversion window in days.
///
/// Returns:
///     A `pyarrow.Table`, most samples first, then by name (rows without a name last):
///     `product_name, samples, converted, rate, creators, converted_creators`
///     (`table_columns("sample_conversion_by_product")`).
///
/// Raises:
///     InvalidInputError: A negative `within_days`.
#[pyfunction]
#[pyo3(signature = (result, *, within_days = 30))]
fn sample_conversion_by_product<'py>(
    py: Python<'py>,
    result: &MergeResult,
    within_days: i64,
) -> PyResult<Bound<'py, PyAny>> {
    let days = count(within_days, "within_days")?;
    let r = result.shared();
    let rows = py.detach(|| analytics::sample_conversion_by_product(&r, days));
    table::to_pyarrow(py, &rows)
}

/// Sample → video conversion over all samples.
///
/// Args:
///     result: A `MergeResult` (with related records, the default).
///     within_days: The conversion window in days.
///
/// Returns:
///     A dict with the columns of `table_columns("sample_conversion_overall")`:
///     `within_days, samples, converted, rate` (None without samples), `undated`,
///     `cancelled`, `creators, converted_creators, creator_rate`.
///
/// Raises:
///     InvalidInputError: A negative `within_days`.
#[pyfunction]
#[pyo3(signature = (result, *, within_days = 30))]
fn sample_conversion_overall<'py>(
    py: Python<'py>,
    result: &MergeResult,
    within_days: i64,
) -> PyResult<Bound<'py, PyDict>> {
    let days = count(within_days, "within_days")?;
    let r = result.shared();
    let row = py.detach(|| analytics::sample_conversion_overall(&r, days));
    table::row_dict(py, &row)
}

/// The creators with the highest metric over the videos they posted in a period.
///
/// Creators without a video in the period are not listed; ties are broken by GMV, items
/// sold, orders (descending), then handle.
///
/// Args:
///     result: A `MergeResult` (with related records, the default).
///     period: `(start, end)` dates, `end` excluded.
///     metric: `"gmv"`, `"items_sold"` or `"orders"`.
///     limit: How many creators to list.
///
/// Returns:
///     A `pyarrow.Table`: `rank, tiktok_username, gmv, items_sold, orders, videos`
///     (`table_columns("top_performers")`).
///
/// Raises:
///     InvalidInputError: A bad period, an unknown metric or a negative `limit`.
#[pyfunction]
#[pyo3(signature = (result, period, *, metric = "gmv", limit = 10))]
fn top_performers<'py>(
    py: Python<'py>,
    result: &MergeResult,
    period: &Bound<'py, PyAny>,
    metric: &str,
    limit: i64,
) -> PyResult<Bound<'py, PyAny>> {
    let (p, m) = (self::period(period, "period")?, self::metric(metric)?);
    let limit = count(limit, "limit")?;
    let r = result.shared();
    let rows = py.detach(|| analytics::top_performers(&r, p, m, limit));
    table::to_pyarrow(py, &rows)
}

/// Each creator's metric in two periods, largest change first.
///
/// Args:
///     result: A `MergeResult` (with related records, the default).
///     previous: The earlier period, `(start, end)` dates: the base of each growth rate.
///     current: The later period.
///     metric: `"gmv"`, `"items_sold"` or `"orders"`.
///
/// Returns:
///     A `pyarrow.Table`: `tiktok_username, metric, previous, current, change, growth`
///     (None when the base is zero), `previous_videos, current_videos`
///     (`table_columns("trending")`).
///
/// Raises:
///     InvalidInputError: A bad period or an unknown metric.
#[pyfunction]
#[pyo3(signature = (result, previous, current, *, metric = "gmv"))]
fn trending<'py>(
    py: Python<'py>,
    result: &MergeResult,
    previous: &Bound<'py, PyAny>,
    current: &Bound<'py, PyAny>,
    metric: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let before = period(previous, "previous")?;
    let now = period(current, "current")?;
    let m = self::metric(metric)?;
    let r = result.shared();
    let rows = py.detach(|| analytics::trending(&r, before, now, m));
    table::to_pyarrow(py, &rows)
}

/// Video totals and rates per creator, over all their videos.
///
/// Args:
///     result: A `MergeResult` (with related records, the default).
///
/// Returns:
///     A `pyarrow.Table` (`table_columns("video_performance")`).
#[pyfunction]
fn video_performance<'py>(py: Python<'py>, result: &MergeResult) -> PyResult<Bound<'py, PyAny>> {
    let r = result.shared();
    let rows = py.detach(|| analytics::video_performance(&r));
    table::to_pyarrow(py, &rows)
}

/// Product analytics joined with the videos linked to each product.
///
/// Args:
///     result: A `MergeResult` (with related records, the default).
///
/// Returns:
///     A `pyarrow.Table` (`table_columns("product_performance")`).
#[pyfunction]
fn product_performance<'py>(py: Python<'py>, result: &MergeResult) -> PyResult<Bound<'py, PyAny>> {
    let r = result.shared();
    let rows = py.detach(|| analytics::product_performance(&r));
    table::to_pyarrow(py, &rows)
}

/// Every table of the dashboard, computed by one call to `dashboard`.
///
/// Attributes:
///     period: The period of the top-performer tables, `(start, end)`.
///     previous: The earlier period of `trending`.
///     top_by_gmv: Top creators by GMV in `period` (`table_columns("top_performers")`).
///     top_by_items_sold: Top creators by items sold.
///     top_by_orders: Top creators by orders.
///     trending: GMV change from `previous` to `period` (`table_columns("trending")`).
///     videos_by_creator: Video performance by creator (`table_columns("video_performance")`).
///     products: Product performance (`table_columns("product_performance")`).
///     conversion_by_creator: Sample conversion per creator (`table_columns("sample_conversion")`).
///     conversion_by_product: Per product name (`table_columns("sample_conversion_by_product")`).
///     conversion_overall: Overall, a dict (`table_columns("sample_conversion_overall")`).
#[pyclass(name = "Dashboard", module = "creator_crm", frozen)]
pub struct Dashboard {
    core: Arc<analytics::Dashboard>,
    period: Py<PyTuple>,
    previous: Py<PyTuple>,
    /// The tables, in the order of the getters below.
    tables: [Py<PyAny>; 8],
    conversion_overall: Py<PyDict>,
}

#[pymethods]
impl Dashboard {
    #[getter]
    fn period(&self, py: Python<'_>) -> Py<PyTuple> {
        self.period.clone_ref(py)
    }
    #[getter]
    fn previous(&self, py: Python<'_>) -> Py<PyTuple> {
        self.previous.clone_ref(py)
    }
    #[getter]
    fn top_by_gmv(&self, py: Python<'_>) -> Py<PyAny> {
        self.tables[0].clone_ref(py)
    }
    #[getter]
    fn top_by_items_sold(&self, py: Python<'_>) -> Py<PyAny> {
        self.tables[1].clone_ref(py)
    }
    #[getter]
    fn top_by_orders(&self, py: Python<'_>) -> Py<PyAny> {
        self.tables[2].clone_ref(py)
    }
    #[getter]
    fn trending(&self, py: Python<'_>) -> Py<PyAny> {
        self.tables[3].clone_ref(py)
    }
    #[getter]
    fn videos_by_creator(&self, py: Python<'_>) -> Py<PyAny> {
        self.tables[4].clone_ref(py)
    }
    #[getter]
    fn products(&self, py: Python<'_>) -> Py<PyAny> {
        self.tables[5].clone_ref(py)
    }
    #[getter]
    fn conversion_by_creator(&self, py: Python<'_>) -> Py<PyAny> {
        self.tables[6].clone_ref(py)
    }
    #[getter]
    fn conversion_by_product(&self, py: Python<'_>) -> Py<PyAny> {
        self.tables[7].clone_ref(py)
    }
    #[getter]
    fn conversion_overall(&self, py: Python<'_>) -> Py<PyDict> {
        self.conversion_overall.clone_ref(py)
    }

    /// One of the dashboard's tables as formula-safe CSV (as `MergeResult.to_csv`).
    ///
    /// Args:
    ///     table: The name of one of the tables above (`"top_by_gmv"`, …,
    ///         `"conversion_overall"`, which is one row).
    ///     path: Where to write the file; without it the CSV is returned.
    ///
    /// Returns:
    ///     The CSV text, or `None` when it was written to `path`.
    ///
    /// Raises:
    ///     InvalidInputError: `table` is not one of the tables (`field == "table"`).
    ///     OSError: `path` cannot be created.
    #[pyo3(signature = (table, path = None))]
    fn to_csv(
        &self,
        py: Python<'_>,
        table: &str,
        path: Option<PathBuf>,
    ) -> PyResult<Option<String>> {
        let d = Arc::clone(&self.core);
        crate::export::csv_text_or_file(py, path, move |out| {
            export::write_dashboard_table(&d, table, out)
        })
    }

    /// Writes every table as `<table>.csv` into `directory` (created when missing).
    ///
    /// Returns:
    ///     `dict[str, pathlib.Path]`: each table's name and the file written, in the
    ///     order of the tables above.
    ///
    /// Raises:
    ///     OSError: The directory or a file cannot be created.
    fn write_csv<'py>(&self, py: Python<'py>, directory: PathBuf) -> PyResult<Bound<'py, PyDict>> {
        std::fs::create_dir_all(&directory)?;
        let written = PyDict::new(py);
        let path_class = py.import("pathlib")?.getattr("Path")?;
        for name in export::DASHBOARD_TABLES {
            let path = directory.join(format!("{name}.csv"));
            self.to_csv(py, name, Some(path.clone()))?;
            written.set_item(name, path_class.call1((path,))?)?;
        }
        Ok(written)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Dashboard(period={}, previous={})",
            self.period.bind(py).repr()?,
            self.previous.bind(py).repr()?
        ))
    }
}

/// Every table of the dashboard from one call (the rule and totals computed once).
///
/// Args:
///     result: A `MergeResult` (with related records, the default).
///     period: `(start, end)` dates of the top-performer tables and the later period of
///         the trend, `end` excluded.
///     previous: The earlier period of the trend (default: as many days right before
///         `period`).
///     top: How many creators each top-performer table lists.
///     within_days: The sample → video conversion window in days.
///
/// Returns:
///     A `Dashboard` of `pyarrow.Table`s.
///
/// Raises:
///     InvalidInputError: A bad period, or one whose previous period would fall outside
///         the calendar; a negative `top` or `within_days`.
#[pyfunction]
#[pyo3(signature = (result, period, *, previous = None, top = 10, within_days = 30))]
fn dashboard<'py>(
    py: Python<'py>,
    result: &MergeResult,
    period: &Bound<'py, PyAny>,
    previous: Option<&Bound<'py, PyAny>>,
    top: i64,
    within_days: i64,
) -> PyResult<Dashboard> {
    let mut options = DashboardOptions::new(self::period(period, "period")?);
    options.previous = previous
        .filter(|p| !p.is_none())
        .map(|p| self::period(p, "previous"))
        .transpose()?;
    options.top = count(top, "top")?;
    options.within_days = count(within_days, "within_days")?;
    let r = result.shared();
    let d = py
        .detach(|| analytics::dashboard(&r, &options))
        .map_err(errors::to_py_err)?;
    let tables = [
        table::to_pyarrow(py, &d.top_by_gmv)?.unbind(),
        table::to_pyarrow(py, &d.top_by_items_sold)?.unbind(),
        table::to_pyarrow(py, &d.top_by_orders)?.unbind(),
        table::to_pyarrow(py, &d.trending)?.unbind(),
        table::to_pyarrow(py, &d.videos_by_creator)?.unbind(),
        table::to_pyarrow(py, &d.products)?.unbind(),
        table::to_pyarrow(py, &d.conversion_by_creator)?.unbind(),
        table::to_pyarrow(py, &d.conversion_by_product)?.unbind(),
    ];
    Ok(Dashboard {
        period: period_to_py(py, d.period)?.unbind(),
        previous: period_to_py(py, d.previous)?.unbind(),
        tables,
        conversion_overall: table::row_dict(py, &d.conversion_overall)?.unbind(),
        core: Arc::new(d),
    })
}

/// Registers the analytics functions and classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sample_conversion, m)?)?;
    m.add_function(wrap_pyfunction!(sample_conversion_by_product, m)?)?;
    m.add_function(wrap_pyfunction!(sample_conversion_overall, m)?)?;
    m.add_function(wrap_pyfunction!(top_performers, m)?)?;
    m.add_function(wrap_pyfunction!(trending, m)?)?;
    m.add_function(wrap_pyfunction!(video_performance, m)?)?;
    m.add_function(wrap_pyfunction!(product_performance, m)?)?;
    m.add_function(wrap_pyfunction!(dashboard, m)?)?;
    m.add_class::<Dashboard>()?;
    Ok(())
}
