//! Python bindings of the pure functions of `creator_crm::outreach`: SMS segments and
//! keywords, the quiet-hour send window, template rendering and webhook signatures.
//!
//! Times follow the binding's one rule (`data.rs`): a naive `datetime` is UTC; results are
//! aware `datetime`s in UTC.

use chrono::{DateTime, Utc};
use creator_crm::{
    Error,
    identity::E164,
    outreach::{self, QuietHours, SmsSegments},
};
use pyo3::{
    exceptions::PyTypeError,
    prelude::*,
    types::{PyBool, PyDict, PyInt, PyString},
};

use crate::{data, errors, identity::PyPhone};

/// How an SMS body is encoded and how many segments it is billed as.
///
/// Attributes:
///     encoding: `"GSM-7"` or `"UCS-2"`.
///     segments: Segments the message is split into (0 for an empty body): one of up
///         to 160 GSM-7 septets or 70 UCS-2 units, else parts of 153 or 67.
///     characters: Characters (Unicode code points) in the body.
///     units: Code units the body takes: septets for GSM-7 (an extension character such
///         as `€` or `[` is 2), UTF-16 units for UCS-2 (an emoji is 2).
#[pyclass(name = "SmsSegments", module = "creator_crm", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PySmsSegments(SmsSegments);

#[pymethods]
impl PySmsSegments {
    #[getter]
    fn encoding(&self) -> &'static str {
        self.0.encoding.as_str()
    }
    #[getter]
    fn segments(&self) -> u32 {
        self.0.segments
    }
    #[getter]
    fn characters(&self) -> u32 {
        self.0.characters
    }
    #[getter]
    fn units(&self) -> u32 {
        self.0.units
    }

    fn __repr__(&self) -> String {
        format!(
            "SmsSegments(encoding='{}', segments={}, characters={}, units={})",
            self.0.encoding.as_str(),
            self.0.segments,
            self.0.characters,
            self.0.units
        )
    }
}

/// Counts the segments of an SMS body and picks its encoding.
///
/// Args:
///     text: The message body.
///
/// Returns:
///     An `SmsSegments`.
#[pyfunction]
fn sms_segments(text: &str) -> PySmsSegments {
    PySmsSegments(outreach::sms_segments(text))
}

/// Reads an inbound SMS body as a keyword.
///
/// Opt-out words (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPT OUT, ...) count
/// in any case and spacing, also with polite words around them ("STOP please"); a clause
/// that only mentions one ("I'll stop by later") does not.
///
/// Args:
///     text: The inbound message body.
///
/// Returns:
///     `"opt_out"`, `"opt_in"` (START, YES, UNSTOP), `"help"` (HELP, INFO) or None.
#[pyfunction]
fn sms_keyword(text: &str) -> Option<&'static str> {
    outreach::sms_keyword(text).map(|k| k.as_str())
}

/// Reads a phone argument: an E.164 `str` or a `Phone` of kind `"e164"`.
fn e164(phone: &Bound<'_, PyAny>) -> PyResult<E164> {
    if let Ok(p) = phone.cast::<PyPhone>() {
        return p.get().phone().e164().cloned().ok_or_else(|| {
            errors::to_py_err(Error::invalid("phone", "a masked number has no time zone"))
        });
    }
    if let Ok(s) = phone.cast::<PyString>() {
        return s.to_cow()?.parse().map_err(errors::to_py_err);
    }
    Err(PyTypeError::new_err(
        "phone must be an E.164 str or a Phone",
    ))
}

/// The earliest instant at or after `now` when an SMS may reach a number under the
/// default quiet-hour rules (federal 08:00–21:00 local time, stricter state rules).
///
/// The recipient's state is `state` when given, else the one the number's area code
/// presumes; when the area code spans several time zones, an instant is allowed only when
/// every zone allows it.
///
/// Args:
///     phone: The recipient: an E.164 `str` (`"+12145550123"`) or a `Phone` from
///         `parse_phone`.
///     now: The instant to start from: a `datetime` (a naive one is UTC) or an ISO 8601
///         string.
///     state: The recipient's state (`"TX"`) when the host knows it.
///
/// Returns:
///     An aware `datetime` in UTC: `now` itself when a message may be sent then.
///
/// Raises:
///     InvalidInputError: A phone that is not an E.164 number (field `phone`), a masked
///         phone, a number outside the +1 plan, a bad `now`, or a rule table allowing no
///         time within 15 days.
#[pyfunction]
#[pyo3(signature = (phone, now, *, state = None))]
fn sms_send_window<'py>(
    py: Python<'py>,
    phone: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    state: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let number = e164(phone)?;
    let now: DateTime<Utc> = data::from_py(now, "now")?;
    let at = outreach::sms_send_window(&number, now, state, &QuietHours::default())
        .map_err(errors::to_py_err)?;
    data::datetime_to_py(py, at)
}

/// Renders a template once (minijinja syntax) with strict undefined variables.
///
/// The default limits apply (source size, fuel, recursion, output size), so a template
/// staff can edit cannot run away.
///
/// Args:
///     source: The template text.
///     context: The variables: a mapping of names to plain data (str, numbers, bool,
///         None, lists, dicts, dates).
///     html: Auto-escape every value (for HTML bodies).
///
/// Returns:
///     The rendered text.
///
/// Raises:
///     TemplateError: A syntax error, an undefined variable, or a limit reached.
#[pyfunction]
#[pyo3(signature = (source, context, *, html = false))]
fn render_template(source: &str, context: &Bound<'_, PyAny>, html: bool) -> PyResult<String> {
    let ctx = if context.is_instance_of::<PyDict>() {
        data::to_value(context)?
    } else {
        // Any other mapping, read as the dict of its items.
        let py = context.py();
        data::to_value(&py.import("builtins")?.getattr("dict")?.call1((context,))?)?
    };
    outreach::render_template(source, &ctx, html).map_err(errors::to_py_err)
}

/// Checks a Twilio webhook signature (`X-Twilio-Signature`): base64 HMAC-SHA1 of the URL
/// and the sorted POST parameters, compared in constant time.
///
/// Args:
///     auth_token: The account's auth token.
///     url: The full URL Twilio called, query string included.
///     params: The POST form fields: a dict of `str` to `str`, or a sequence of
///         `(name, value)` pairs when a name repeats.
///     signature: The header's value.
///
/// Returns:
///     Whether the signature matches. Freshness and replay are not checked.
///
/// Raises:
///     TypeError: A parameter name or value that is not a `str`.
#[pyfunction]
fn verify_twilio_signature(
    auth_token: &str,
    url: &str,
    params: &Bound<'_, PyAny>,
    signature: &str,
) -> PyResult<bool> {
    let pairs: Vec<(String, String)> = if let Ok(d) = params.cast::<PyDict>() {
        d.iter()
            .map(|(k, v)| Ok((k.extract()?, v.extract()?)))
            .collect::<PyResult<_>>()?
    } else {
        params
            .try_iter()?
            .map(|item| item?.extract::<(String, String)>())
            .collect::<PyResult<_>>()?
    };
    Ok(outreach::verify_twilio_signature(
        auth_token, url, &pairs, signature,
    ))
}

/// Checks a Mailgun webhook signature: hex HMAC-SHA256 of `timestamp` + `token` under
/// the signing key, compared in constant time.
///
/// Args:
///     signing_key: The HTTP webhook signing key.
///     timestamp: The signature's `timestamp` (`str`, or `int`).
///     token: The signature's `token`.
///     signature: The signature's `signature` (hex).
///
/// Returns:
///     Whether the signature matches. Freshness and replay are not checked.
///
/// Raises:
///     TypeError: A timestamp that is neither a `str` nor an `int`.
#[pyfunction]
fn verify_mailgun_signature(
    signing_key: &str,
    timestamp: &Bound<'_, PyAny>,
    token: &str,
    signature: &str,
) -> PyResult<bool> {
    if timestamp.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err("timestamp must be a str or an int"));
    }
    let timestamp: String = if timestamp.is_instance_of::<PyInt>() {
        timestamp.str()?.extract()?
    } else {
        timestamp.extract()?
    };
    Ok(outreach::verify_mailgun_signature(
        signing_key,
        &timestamp,
        token,
        signature,
    ))
}

/// Registers the outreach functions and classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sms_segments, m)?)?;
    m.add_function(wrap_pyfunction!(sms_keyword, m)?)?;
    m.add_function(wrap_pyfunction!(sms_send_window, m)?)?;
    m.add_function(wrap_pyfunction!(render_template, m)?)?;
    m.add_function(wrap_pyfunction!(verify_twilio_signature, m)?)?;
    m.add_function(wrap_pyfunction!(verify_mailgun_signature, m)?)?;
    m.add_class::<PySmsSegments>()?;
    Ok(())
}
