//! Mobile bindings of `creator_crm::identity`: handles, phones, emails, text repair.

use creator_crm::identity::{self, PhoneParser, Region};

use crate::errors::{CrmError, ErrorInfo};

/// Whether a phone is a full number or a masked one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PhoneKind {
    /// A full number in E.164 form.
    E164,
    /// A number with hidden digits.
    Masked,
}

/// A parsed phone number: a full E.164 number or a masked one.
///
/// A masked phone (`(+1)832*****59`) is evidence about a number, never a match
/// key: it keeps the country code, the visible digits and the length. Its text form
/// (`toString` in Kotlin, `description` in Swift) shows the kind only.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct Phone {
    /// Full or masked.
    pub kind: PhoneKind,
    /// The number as `+` and digits (`+14155550123`); `None` when masked.
    pub e164: Option<String>,
    /// The country calling code (`1`), when known.
    pub country_code: Option<u16>,
    /// The extension digits of a full number (`123`), if any.
    pub extension: Option<String>,
    /// Visible national digits before the mask; `None` when full.
    pub masked_prefix: Option<String>,
    /// Visible national digits after the mask; `None` when full.
    pub masked_suffix: Option<String>,
    /// Number of national digits of a masked number, hidden ones included.
    pub national_length: Option<u32>,
}

impl std::fmt::Debug for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Phone({:?}, <redacted>)", self.kind)
    }
}

display_as_debug!(Phone);

impl From<identity::Phone> for Phone {
    fn from(phone: identity::Phone) -> Self {
        let masked = phone.masked();
        Phone {
            kind: match phone.kind() {
                identity::PhoneKind::E164 => PhoneKind::E164,
                identity::PhoneKind::Masked => PhoneKind::Masked,
            },
            e164: phone.e164().map(|n| n.as_str().to_owned()),
            country_code: phone.country_code(),
            extension: phone.extension().map(str::to_owned),
            masked_prefix: masked.map(|m| m.prefix.to_string()),
            masked_suffix: masked.map(|m| m.suffix.to_string()),
            national_length: masked.and_then(|m| u32::try_from(m.national_len).ok()),
        }
    }
}

/// The outcome of one value of [`parse_phones`]: `phone` on success, `error` otherwise.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PhoneResult {
    /// The parsed phone, when the value is usable.
    pub phone: Option<Phone>,
    /// Why the value is not usable (what [`parse_phone`] would throw).
    pub error: Option<ErrorInfo>,
}

/// The outcome of one value of a string batch call ([`normalize_handles`], [`normalize_emails`]).
///
/// Its text form (`toString` in Kotlin, `description` in Swift) hides the value: an email
/// is personal data.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct StringResult {
    /// The normalized value; `None` for an email placeholder or on error.
    pub value: Option<String>,
    /// Why the value is not usable (what the single-value call would throw).
    pub error: Option<ErrorInfo>,
}

impl std::fmt::Debug for StringResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = self.value.as_ref().map(|_| "<redacted>");
        f.debug_struct("StringResult")
            .field("value", &value)
            .field("error", &self.error)
            .finish()
    }
}

display_as_debug!(StringResult);

/// Parses a phone number into E.164, detecting masked numbers
/// (`(+1)832*****59`, `***-***-1234`) first. `default_region` (ISO 3166-1
/// alpha-2) applies to numbers written without a country code.
///
/// # Errors
/// [`CrmError::InvalidInput`] on field `phone` (unusable value) or `region`.
#[uniffi::export(default(default_region = "US"))]
pub fn parse_phone(raw: String, default_region: String) -> Result<Phone, CrmError> {
    let region = Region::parse(&default_region)?;
    Ok(identity::Phone::parse(&raw, region)?.into())
}

/// Parses many phone numbers; one bad value never fails the call.
///
/// Returns one entry per value, in order: a result with `phone` or `error`,
/// or `None` for a `None` value.
///
/// # Errors
/// [`CrmError::InvalidInput`] on field `region` for an unknown region.
#[uniffi::export(default(default_region = "US"))]
pub fn parse_phones(
    raws: Vec<Option<String>>,
    default_region: String,
) -> Result<Vec<Option<PhoneResult>>, CrmError> {
    let mut parser = PhoneParser::new(Region::parse(&default_region)?);
    Ok(raws
        .iter()
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
        .collect())
}

/// Normalizes a TikTok username: trims, strips `@` and profile URLs, lowercases.
///
/// # Errors
/// [`CrmError::InvalidInput`] on field `handle` unless the result is
/// `[a-z0-9._]`, 2–24 characters, not ending in `.`.
#[uniffi::export]
pub fn normalize_handle(raw: String) -> Result<String, CrmError> {
    Ok(identity::normalize_handle(&raw)?)
}

/// Normalizes many handles; one bad value never fails the call.
#[uniffi::export]
pub fn normalize_handles(raws: Vec<Option<String>>) -> Vec<Option<StringResult>> {
    map_results(&raws, |raw| identity::normalize_handle(raw).map(Some))
}

/// Normalizes an email: trims, lowercases, checks the syntax. `None` for a
/// placeholder (`n/a`, `none`, `-`, `test@test.com`, `noreply@…`, empty).
///
/// # Errors
/// [`CrmError::InvalidInput`] on field `email` for bad syntax.
#[uniffi::export]
pub fn normalize_email(raw: String) -> Result<Option<String>, CrmError> {
    Ok(identity::normalize_email(&raw)?)
}

/// Normalizes many emails; one bad value never fails the call.
#[uniffi::export]
pub fn normalize_emails(raws: Vec<Option<String>>) -> Vec<Option<StringResult>> {
    map_results(&raws, identity::normalize_email)
}

/// Repairs mojibake (UTF-8 read as cp1252 or Latin-1): `JosÃ© MartÃ­nez` →
/// `José Martínez`. Correct text comes back unchanged.
#[uniffi::export]
pub fn repair_text(raw: String) -> String {
    identity::repair_text(&raw).into_owned()
}

/// Repairs many texts; `None` values stay `None`.
#[uniffi::export]
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
