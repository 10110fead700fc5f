//! Python bindings of `creator_crm::identity`: handles, phones, emails, text repair.

use std::sync::Arc;

use arrow_array::{
    ArrayRef, RecordBatch,
    builder::{StringBuilder, UInt16Builder, UInt32Builder},
};
use creator_crm::identity::{self, Phone, PhoneParser, Region};
use pyo3::{
    IntoPyObjectExt,
    prelude::*,
    types::{PyList, PyNone},
};

use pyo3_arrow::PyTable;

use crate::{batch::map_strings, errors};

/// A parsed phone number: a full E.164 number or a masked one.
///
/// A masked phone (`(+1)832*****59`) is evidence about a number, never a match
/// key: it keeps the country code, the visible digits and the length.
/// `repr()` never shows the digits.
///
/// Attributes:
///     kind: `"e164"` for a full number, `"masked"` for a number with hidden digits.
///     e164: The number as `+` and digits (`"+14155550123"`), or `None` when masked.
///     country_code: The country calling code (`1`), or `None` when unknown.
///     extension: The extension digits of a full number (`"123"`), if any.
///     masked_prefix: Visible national digits before the mask, or `None` when full.
///     masked_suffix: Visible national digits after the mask, or `None` when full.
///     national_length: Number of national digits of a masked number, hidden ones included.
#[pyclass(name = "Phone", module = "creator_crm", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyPhone(Phone);

impl PyPhone {
    /// The core phone.
    pub(crate) fn phone(&self) -> &Phone {
        &self.0
    }
}

#[pymethods]
impl PyPhone {
    /// `"e164"` for a full number, `"masked"` for a number with hidden digits.
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.kind().as_str()
    }

    /// The number as `+` and digits (`"+14155550123"`), or `None` when masked.
    #[getter]
    fn e164(&self) -> Option<&str> {
        self.0.e164().map(|n| n.as_str())
    }

    /// The country calling code (`1`), or `None` when unknown.
    #[getter]
    fn country_code(&self) -> Option<u16> {
        self.0.country_code()
    }

    /// The extension digits of a full number (`"123"`), if any.
    #[getter]
    fn extension(&self) -> Option<&str> {
        self.0.extension()
    }

    /// Visible national digits before the mask, or `None` when full.
    #[getter]
    fn masked_prefix(&self) -> Option<&str> {
        self.0.masked().map(|m| &*m.prefix)
    }

    /// Visible national digits after the mask, or `None` when full.
    #[getter]
    fn masked_suffix(&self) -> Option<&str> {
        self.0.masked().map(|m| &*m.suffix)
    }

    /// Number of national digits of a masked number, hidden ones included.
    #[getter]
    fn national_length(&self) -> Option<usize> {
        self.0.masked().map(|m| m.national_len)
    }

    /// True when this phone is masked and `other` is a full number that fits it.
    ///
    /// Args:
    ///     other: Another phone, normally of kind `"e164"`.
    ///
    /// Returns:
    ///     Whether `other` has this mask's country code (when known), national
    ///     length and visible digits. `False` when this phone is full or
    ///     `other` is masked.
    fn is_consistent_with(&self, other: &PyPhone) -> bool {
        match (self.0.masked(), other.0.e164()) {
            (Some(mask), Some(number)) => mask.is_consistent_with(number),
            _ => false,
        }
    }

    fn __repr__(&self) -> String {
        match self.country_code() {
            Some(cc) => format!(
                "Phone(kind='{}', country_code={cc}, <redacted>)",
                self.kind()
            ),
            None => format!("Phone(kind='{}', <redacted>)", self.kind()),
        }
    }
}

fn region(code: &str) -> PyResult<Region> {
    Region::parse(code).map_err(errors::to_py_err)
}

/// Parses a phone number into E.164, detecting masked numbers first.
///
/// Args:
///     raw: The phone as written: `"(+1)3159212129"`, `"+33 1 42 76 49 78"`,
///         `"00 44 20 7946 0958"`, `"415-555-0123 x12"`, or masked like
///         `"(+1)832*****59"` / `"***-***-1234"`.
///     default_region: ISO 3166-1 alpha-2 region for numbers written without a
///         country code.
///
/// Returns:
///     A `Phone` of kind `"e164"` or `"masked"`.
///
/// Raises:
///     InvalidInputError: The value is not a usable phone number, or the region
///         code is unknown (`field` is `"phone"` or `"region"`).
#[pyfunction]
#[pyo3(signature = (raw, default_region = "US"))]
pub fn parse_phone(raw: &str, default_region: &str) -> PyResult<PyPhone> {
    Phone::parse(raw, region(default_region)?)
        .map(PyPhone)
        .map_err(errors::to_py_err)
}

/// Parses many phone numbers; one bad value never fails the call.
///
/// Args:
///     raws: An iterable of `str | None` (list, tuple, generator, pandas
///         Series) or Arrow string data (pyarrow Array / ChunkedArray, polars
///         Series); Arrow data is read without per-value Python objects.
///     default_region: As in `parse_phone`.
///
/// Returns:
///     A list as long as `raws`: per value a `Phone`, the `InvalidInputError`
///     that `parse_phone` would raise (returned, not raised), or `None` for a
///     missing value (`None`, `NaN`, Arrow null).
///
/// Raises:
///     InvalidInputError: The region code is unknown.
///     TypeError: A value is neither a string nor missing.
#[pyfunction]
#[pyo3(signature = (raws, default_region = "US"))]
pub fn parse_phones<'py>(
    py: Python<'py>,
    raws: &Bound<'py, PyAny>,
    default_region: &str,
) -> PyResult<Bound<'py, PyList>> {
    let mut parser = PhoneParser::new(region(default_region)?);
    let results = map_strings(py, raws, |raw| parser.parse(raw))?;
    results_to_list(py, results, |phone| Some(PyPhone(phone)))
}

/// Parses many phone numbers into an Arrow table, one row per value.
///
/// The columnar form of `parse_phones` for large inputs: no Python object is
/// made per value, and the work runs with the GIL released for Arrow input.
/// Convert with `table.to_pandas()` or `polars.from_arrow(table)`.
///
/// Args:
///     raws: As in `parse_phones`.
///     default_region: As in `parse_phone`.
///
/// Returns:
///     A `pyarrow.Table` with the columns `kind`, `e164`, `country_code`
///     (uint16), `extension`, `masked_prefix`, `masked_suffix`,
///     `national_length` (uint32) of each phone, and `error_code`,
///     `error_field`, `error_reason` for a value that is not usable. Every
///     column is null for a missing value.
///
/// Raises:
///     InvalidInputError: The region code is unknown.
///     TypeError: A value is neither a string nor missing.
///     ModuleNotFoundError: pyarrow is not installed.
#[pyfunction]
#[pyo3(signature = (raws, default_region = "US"))]
pub fn parse_phones_table<'py>(
    py: Python<'py>,
    raws: &Bound<'py, PyAny>,
    default_region: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let mut parser = PhoneParser::new(region(default_region)?);
    let results = map_strings(py, raws, |raw| parser.parse(raw))?;
    let batch = py
        .detach(|| phone_batch(&results))
        .map_err(pyo3_arrow::error::PyArrowError::from)?;
    let schema = batch.schema();
    PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}

/// The record batch of [`parse_phones_table`].
fn phone_batch(
    results: &[Option<creator_crm::Result<Phone>>],
) -> Result<RecordBatch, arrow_schema::ArrowError> {
    let n = results.len();
    let mut kind = StringBuilder::with_capacity(n, n * 6);
    let mut e164 = StringBuilder::with_capacity(n, n * 12);
    let mut country_code = UInt16Builder::with_capacity(n);
    let mut extension = StringBuilder::new();
    let mut masked_prefix = StringBuilder::new();
    let mut masked_suffix = StringBuilder::new();
    let mut national_length = UInt32Builder::with_capacity(n);
    let mut error_code = StringBuilder::new();
    let mut error_field = StringBuilder::new();
    let mut error_reason = StringBuilder::new();
    for result in results {
        let phone = result.as_ref().and_then(|r| r.as_ref().ok());
        let error = result.as_ref().and_then(|r| r.as_ref().err());
        let masked = phone.and_then(Phone::masked);
        kind.append_option(phone.map(|p| p.kind().as_str()));
        e164.append_option(phone.and_then(Phone::e164).map(|n| n.as_str()));
        country_code.append_option(phone.and_then(Phone::country_code));
        extension.append_option(phone.and_then(Phone::extension));
        masked_prefix.append_option(masked.map(|m| &*m.prefix));
        masked_suffix.append_option(masked.map(|m| &*m.suffix));
        national_length.append_option(masked.and_then(|m| u32::try_from(m.national_len).ok()));
        error_code.append_option(error.map(|e| e.kind().as_str()));
        error_field.append_option(error.and_then(|e| e.field()));
        error_reason.append_option(error.map(|e| e.reason()));
    }
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("kind", Arc::new(kind.finish())),
        ("e164", Arc::new(e164.finish())),
        ("country_code", Arc::new(country_code.finish())),
        ("extension", Arc::new(extension.finish())),
        ("masked_prefix", Arc::new(masked_prefix.finish())),
        ("masked_suffix", Arc::new(masked_suffix.finish())),
        ("national_length", Arc::new(national_length.finish())),
        ("error_code", Arc::new(error_code.finish())),
        ("error_field", Arc::new(error_field.finish())),
        ("error_reason", Arc::new(error_reason.finish())),
    ];
    RecordBatch::try_from_iter(columns)
}

/// Normalizes a TikTok username: trims, strips `@` and profile URLs, lowercases.
///
/// Args:
///     raw: `"@Some.Creator"`, `"some.creator"` or
///         `"https://www.tiktok.com/@some.creator?lang=en"`.
///
/// Returns:
///     The normalized handle without `@` (`"some.creator"`).
///
/// Raises:
///     InvalidInputError: Not a valid handle (`[a-z0-9._]`, 2–24 characters,
///         not ending in `.`); `field` is `"handle"`.
#[pyfunction]
pub fn normalize_handle(raw: &str) -> PyResult<String> {
    identity::normalize_handle(raw).map_err(errors::to_py_err)
}

/// Normalizes many handles; one bad value never fails the call.
///
/// Args:
///     raws: As in `parse_phones`.
///
/// Returns:
///     A list as long as `raws`: per value the normalized handle, the
///     `InvalidInputError` (returned, not raised), or `None` for a missing value.
///
/// Raises:
///     TypeError: A value is neither a string nor missing.
#[pyfunction]
pub fn normalize_handles<'py>(
    py: Python<'py>,
    raws: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let results = map_strings(py, raws, identity::normalize_handle)?;
    results_to_list(py, results, Some)
}

/// Normalizes an email: trims, lowercases, checks the syntax.
///
/// Args:
///     raw: The email as written.
///
/// Returns:
///     The normalized email, or `None` for a placeholder (`"n/a"`, `"none"`,
///     `"-"`, `"test@test.com"`, `"noreply@…"`, empty).
///
/// Raises:
///     InvalidInputError: Bad syntax; `field` is `"email"`.
#[pyfunction]
pub fn normalize_email(raw: &str) -> PyResult<Option<String>> {
    identity::normalize_email(raw).map_err(errors::to_py_err)
}

/// Normalizes many emails; one bad value never fails the call.
///
/// Args:
///     raws: As in `parse_phones`.
///
/// Returns:
///     A list as long as `raws`: per value the normalized email, `None` for a
///     placeholder or missing value, or the `InvalidInputError` (returned, not
///     raised).
///
/// Raises:
///     TypeError: A value is neither a string nor missing.
#[pyfunction]
pub fn normalize_emails<'py>(
    py: Python<'py>,
    raws: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let results = map_strings(py, raws, identity::normalize_email)?;
    results_to_list(py, results, |e| e)
}

/// Repairs mojibake: UTF-8 text that was read as cp1252 or Latin-1.
///
/// Args:
///     raw: Text such as `"JosÃ© MartÃ­nez"`.
///
/// Returns:
///     The repaired text (`"José Martínez"`); text that is already right comes
///     back unchanged.
#[pyfunction]
pub fn repair_text(raw: &str) -> String {
    identity::repair_text(raw).into_owned()
}

/// Repairs many texts.
///
/// Args:
///     raws: As in `parse_phones`.
///
/// Returns:
///     A list as long as `raws`: per value the repaired text, or `None` for a
///     missing value.
///
/// Raises:
///     TypeError: A value is neither a string nor missing.
#[pyfunction]
pub fn repair_texts(py: Python<'_>, raws: &Bound<'_, PyAny>) -> PyResult<Vec<Option<String>>> {
    map_strings(py, raws, |raw| identity::repair_text(raw).into_owned())
}

/// Builds the output list of a batch call from per-value core results.
fn results_to_list<'py, T, U>(
    py: Python<'py>,
    results: Vec<Option<creator_crm::Result<T>>>,
    ok: impl Fn(T) -> Option<U>,
) -> PyResult<Bound<'py, PyList>>
where
    U: IntoPyObject<'py>,
{
    let items = results
        .into_iter()
        .map(|result| -> PyResult<Bound<'py, PyAny>> {
            match result.map(|r| r.map(&ok)) {
                None | Some(Ok(None)) => Ok(PyNone::get(py).to_owned().into_any()),
                Some(Ok(Some(value))) => value.into_bound_py_any(py),
                Some(Err(err)) => Ok(errors::to_py_err_in(py, &err)
                    .into_value(py)
                    .into_bound(py)
                    .into_any()),
            }
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
}

/// Adds this module's classes and functions to the extension module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPhone>()?;
    m.add_function(wrap_pyfunction!(parse_phone, m)?)?;
    m.add_function(wrap_pyfunction!(parse_phones, m)?)?;
    m.add_function(wrap_pyfunction!(parse_phones_table, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_handle, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_handles, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_email, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_emails, m)?)?;
    m.add_function(wrap_pyfunction!(repair_text, m)?)?;
    m.add_function(wrap_pyfunction!(repair_texts, m)?)?;
    Ok(())
}
