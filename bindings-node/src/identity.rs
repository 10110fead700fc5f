//! Node bindings of `creator_crm::identity`: handles, phones, emails, text repair.

use creator_crm::identity::{self, PhoneParser, Region};
use napi::{Env, Task, bindgen_prelude::AsyncTask};
use napi_derive::napi;

use crate::errors::{ErrorInfo, to_napi_error};

/// A parsed phone number: a full E.164 number or a masked one.
///
/// A masked phone (`(+1)832*****59`) is evidence about a number, never a match
/// key: it keeps the country code, the visible digits and the length.
#[napi(object)]
pub struct Phone {
    /// `"e164"` for a full number, `"masked"` for a number with hidden digits.
    #[napi(ts_type = "'e164' | 'masked'")]
    pub kind: String,
    /// The number as `+` and digits (`"+14155550123"`); absent when masked.
    pub e164: Option<String>,
    /// The country calling code (`1`), when known.
    pub country_code: Option<u32>,
    /// The extension digits of a full number (`"123"`), if any.
    pub extension: Option<String>,
    /// Visible national digits before the mask; absent when full.
    pub masked_prefix: Option<String>,
    /// Visible national digits after the mask; absent when full.
    pub masked_suffix: Option<String>,
    /// Number of national digits of a masked number, hidden ones included.
    pub national_length: Option<u32>,
}

impl From<identity::Phone> for Phone {
    fn from(phone: identity::Phone) -> Self {
        let masked = phone.masked();
        Phone {
            kind: phone.kind().as_str().to_owned(),
            e164: phone.e164().map(|n| n.as_str().to_owned()),
            country_code: phone.country_code().map(u32::from),
            extension: phone.extension().map(str::to_owned),
            masked_prefix: masked.map(|m| m.prefix.to_string()),
            masked_suffix: masked.map(|m| m.suffix.to_string()),
            national_length: masked.and_then(|m| u32::try_from(m.national_len).ok()),
        }
    }
}

/// The outcome of one value of a batch call: `value` on success, `error` otherwise.
#[napi(object)]
pub struct PhoneResult {
    /// The parsed phone, when the value is usable.
    pub phone: Option<Phone>,
    /// Why the value is not usable (what `parsePhone` would throw).
    pub error: Option<ErrorInfo>,
}

/// The outcome of one value of a string batch call (`normalizeHandles`, `normalizeEmails`).
#[napi(object)]
pub struct StringResult {
    /// The normalized value; absent for an email placeholder or on error.
    pub value: Option<String>,
    /// Why the value is not usable (what the single-value call would throw).
    pub error: Option<ErrorInfo>,
}

fn region(env: &Env, code: Option<&str>) -> napi::Result<Region> {
    match code {
        None => Ok(Region::default()),
        Some(code) => Region::parse(code).map_err(|e| to_napi_error(env, &e)),
    }
}

/// Parses a phone number into E.164, detecting masked numbers
/// (`(+1)832*****59`, `***-***-1234`) first.
///
/// `defaultRegion` (ISO 3166-1 alpha-2, default `"US"`) applies to numbers
/// written without a country code. Throws an `InvalidInputError`
/// (`code: "invalid_input"`, `field: "phone"` or `"region"`) for unusable input.
///
/// ```js
/// parsePhone('(+1)3159212129').e164 // '+13159212129'
/// parsePhone('(+1)832*****59').kind // 'masked'
/// ```
#[napi(catch_unwind)]
pub fn parse_phone(env: &Env, raw: String, default_region: Option<String>) -> napi::Result<Phone> {
    let region = region(env, default_region.as_deref())?;
    identity::Phone::parse(&raw, region)
        .map(Phone::from)
        .map_err(|e| to_napi_error(env, &e))
}

fn parse_all(raws: &[Option<String>], region: Region) -> Vec<Option<PhoneResult>> {
    let mut parser = PhoneParser::new(region);
    raws.iter()
        .map(|raw| {
            raw.as_deref().map(|raw| match parser.parse(raw) {
                Ok(phone) => PhoneResult {
                    phone: Some(phone.into()),
                    error: None,
                },
                Err(err) => PhoneResult {
                    phone: None,
                    error: Some(ErrorInfo::from(&err)),
                },
            })
        })
        .collect()
}

/// Parses many phone numbers; one bad value never throws.
///
/// Returns one entry per value, in order: `{ phone }` on success, `{ error }`
/// with what `parsePhone` would throw, or `null` for a `null`/`undefined`
/// value. Throws only for an unknown `defaultRegion`.
#[napi(catch_unwind)]
pub fn parse_phones(
    env: &Env,
    raws: Vec<Option<String>>,
    default_region: Option<String>,
) -> napi::Result<Vec<Option<PhoneResult>>> {
    let region = region(env, default_region.as_deref())?;
    Ok(parse_all(&raws, region))
}

/// The work of [`parse_phones_async`], run on the libuv thread pool.
pub struct ParsePhonesTask {
    raws: Vec<Option<String>>,
    /// The parsed region, or why it is unusable: the promise then rejects with
    /// that error, built in [`Task::reject`] where the `Env` is at hand.
    region: creator_crm::Result<Region>,
}

impl Task for ParsePhonesTask {
    type Output = Vec<Option<PhoneResult>>;
    type JsValue = Vec<Option<PhoneResult>>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        match &self.region {
            Ok(region) => Ok(parse_all(&self.raws, *region)),
            Err(err) => Err(napi::Error::from_reason(err.to_string())),
        }
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output)
    }

    fn reject(&mut self, env: Env, err: napi::Error) -> napi::Result<Self::JsValue> {
        match &self.region {
            Err(core) => Err(to_napi_error(&env, core)),
            Ok(_) => Err(err),
        }
    }
}

/// `parsePhones` off the JavaScript thread: same results, as a promise.
///
/// An unknown `defaultRegion` rejects the promise with an `InvalidInputError`.
#[napi(catch_unwind, ts_return_type = "Promise<Array<PhoneResult | null>>")]
pub fn parse_phones_async(
    raws: Vec<Option<String>>,
    default_region: Option<String>,
) -> AsyncTask<ParsePhonesTask> {
    let region = default_region.map_or(Ok(Region::default()), |code| Region::parse(&code));
    AsyncTask::new(ParsePhonesTask { raws, region })
}

/// Normalizes a TikTok username: trims, strips `@` and profile URLs, lowercases.
///
/// Throws an `InvalidInputError` (`field: "handle"`) unless the result is
/// `[a-z0-9._]`, 2–24 characters, not ending in `.`.
///
/// ```js
/// normalizeHandle('https://www.tiktok.com/@Some.Creator?lang=en') // 'some.creator'
/// ```
#[napi(catch_unwind)]
pub fn normalize_handle(env: &Env, raw: String) -> napi::Result<String> {
    identity::normalize_handle(&raw).map_err(|e| to_napi_error(env, &e))
}

/// Normalizes many handles; one bad value never throws.
///
/// Returns one entry per value: `{ value }`, `{ error }`, or `null` for a
/// `null`/`undefined` value.
#[napi(catch_unwind)]
pub fn normalize_handles(raws: Vec<Option<String>>) -> Vec<Option<StringResult>> {
    map_results(&raws, |raw| identity::normalize_handle(raw).map(Some))
}

/// Normalizes an email: trims, lowercases, checks the syntax.
///
/// Returns `null` for a placeholder (`n/a`, `none`, `-`, `test@test.com`,
/// `noreply@…`, empty). Throws an `InvalidInputError` (`field: "email"`) for
/// bad syntax.
#[napi(catch_unwind)]
pub fn normalize_email(env: &Env, raw: String) -> napi::Result<Option<String>> {
    identity::normalize_email(&raw).map_err(|e| to_napi_error(env, &e))
}

/// Normalizes many emails; one bad value never throws.
///
/// Returns one entry per value: `{ value }` (no `value` for a placeholder),
/// `{ error }`, or `null` for a `null`/`undefined` value.
#[napi(catch_unwind)]
pub fn normalize_emails(raws: Vec<Option<String>>) -> Vec<Option<StringResult>> {
    map_results(&raws, identity::normalize_email)
}

/// Repairs mojibake (UTF-8 read as cp1252 or Latin-1):
/// `JosÃ© MartÃ­nez` → `José Martínez`. Correct text comes back unchanged.
#[napi(catch_unwind)]
pub fn repair_text(raw: String) -> String {
    identity::repair_text(&raw).into_owned()
}

/// Repairs many texts; `null`/`undefined` values stay `null`.
#[napi(catch_unwind)]
pub fn repair_texts(raws: Vec<Option<String>>) -> Vec<Option<String>> {
    raws.iter()
        .map(|raw| {
            raw.as_deref()
                .map(|r| identity::repair_text(r).into_owned())
        })
        .collect()
}

fn map_results(
    raws: &[Option<String>],
    mut f: impl FnMut(&str) -> creator_crm::Result<Option<String>>,
) -> Vec<Option<StringResult>> {
    raws.iter()
        .map(|raw| {
            raw.as_deref().map(|raw| match f(raw) {
                Ok(value) => StringResult { value, error: None },
                Err(err) => StringResult {
                    value: None,
                    error: Some(ErrorInfo::from(&err)),
                },
            })
        })
        .collect()
}
