//! Node bindings of the pure functions of `creator_crm::outreach`: SMS encoding and
//! segments, inbound keywords, the quiet-hour send window, template rendering and the
//! provider webhook signatures.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use creator_crm::{
    Error,
    identity::E164,
    outreach::{self as core, QuietHours},
};
use napi::{Env, JsDate, bindgen_prelude::Either};
use napi_derive::napi;
use serde_json::Value;

use crate::{data::instant, errors::to_napi_error};

/// How an SMS body is encoded and how many segments it is billed as.
#[napi(object)]
pub struct SmsSegments {
    /// `"GSM-7"` when every character is in the GSM 03.38 alphabet or its extension
    /// table, else `"UCS-2"`.
    #[napi(ts_type = "'GSM-7' | 'UCS-2'")]
    pub encoding: String,
    /// Segments the message is split into (0 for an empty body): one up to 160 GSM-7
    /// septets / 70 UCS-2 units, else 153 / 67 per segment.
    pub segments: u32,
    /// Characters (Unicode scalar values) in the body.
    pub characters: u32,
    /// Code units the body takes: septets for GSM-7 (an extension character such as `€`
    /// or `{` is 2), UTF-16 units for UCS-2 (an emoji outside the BMP is 2).
    pub units: u32,
}

/// The encoding and segment count of an SMS body, as carriers and Twilio count them.
///
/// ```js
/// smsSegments('a'.repeat(161)) // { encoding: 'GSM-7', segments: 2, characters: 161, units: 161 }
/// ```
#[napi(catch_unwind)]
pub fn sms_segments(text: String) -> SmsSegments {
    let s = core::sms_segments(&text);
    SmsSegments {
        encoding: s.encoding.as_str().to_owned(),
        segments: s.segments,
        characters: s.characters,
        units: s.units,
    }
}

/// What an inbound SMS body asks for: `"opt_out"` for an opt-out in any reasonable
/// wording (STOP, "stop please", "opt out", ...; it wins over anything else in the
/// reply), `"opt_in"` (START, YES, UNSTOP), `"help"` (HELP, INFO), or `null`.
///
/// ```js
/// smsKeyword('STOP please') // 'opt_out'
/// smsKeyword("I'll stop by later") // null
/// ```
#[napi(catch_unwind, ts_return_type = "SmsKeyword | null")]
pub fn sms_keyword(text: String) -> Option<String> {
    core::sms_keyword(&text).map(|k| k.as_str().to_owned())
}

/// Options of `smsSendWindow`.
#[napi(object)]
pub struct SendWindowOptions {
    /// The recipient's state (two-letter code) when the host knows it; otherwise the
    /// number's area code decides.
    pub state: Option<String>,
}

fn time_of(env: &Env, now: &Either<JsDate<'_>, String>) -> napi::Result<DateTime<Utc>> {
    match now {
        Either::A(date) => {
            let ms = date.value_of()?;
            // A finite JavaScript time is within ±8.64e15 ms, so the cast is exact.
            (ms.is_finite())
                .then(|| DateTime::from_timestamp_millis(ms as i64))
                .flatten()
                .ok_or_else(|| to_napi_error(env, &Error::invalid("now", "invalid date")))
        }
        Either::B(iso) => instant(env, iso, "now"),
    }
}

/// The earliest instant at or after `now` when an SMS may reach `phone` (E.164, `+1…`)
/// under the default quiet-hour rules: `now` itself when allowed. The rule is the
/// strictest that applies to the recipient's state (`options.state`, else the area
/// code's) and the federal 08:00–21:00, in every time zone the number may be in.
///
/// Throws an `InvalidInputError` for a number that is not E.164 or not a +1 number, or
/// a `now` that is not a valid time.
///
/// ```js
/// // Sunday 10:00 in Houston: Texas allows Sundays from 12:00.
/// smsSendWindow('+17135550123', new Date('2026-06-07T15:00:00Z')) // 2026-06-07T17:00:00.000Z
/// ```
#[napi(
    catch_unwind,
    ts_args_type = "phone: string, now: Date | IsoDateTime, options?: SendWindowOptions | undefined | null",
    ts_return_type = "Date"
)]
pub fn sms_send_window<'env>(
    env: &'env Env,
    phone: String,
    now: Either<JsDate<'_>, String>,
    options: Option<SendWindowOptions>,
) -> napi::Result<JsDate<'env>> {
    let now = time_of(env, &now)?;
    let state = options.and_then(|o| o.state);
    let at = phone
        .parse::<E164>()
        .and_then(|p| core::sms_send_window(&p, now, state.as_deref(), &QuietHours::default()))
        .map_err(|e| to_napi_error(env, &e))?;
    env.create_date(at.timestamp_millis() as f64)
}

/// Options of `renderTemplate`.
#[napi(object)]
pub struct RenderOptions {
    /// Auto-escape every value for HTML (default `false`).
    pub html: Option<bool>,
}

/// Compiles and renders a Jinja template (minijinja) once with `context`: an undefined
/// variable is an error, `options.html` auto-escapes, and the size, fuel and recursion
/// limits apply.
///
/// Throws a `TemplateError` (`code: "template"`) for a syntax error, an undefined
/// variable or a limit reached.
///
/// ```js
/// renderTemplate('<b>{{ name }}</b>', { name: '<script>' }, { html: true }) // '<b>&lt;script&gt;</b>'
/// ```
#[napi(
    catch_unwind,
    ts_args_type = "source: string, context: { [key: string]: JsonValue }, options?: RenderOptions | undefined | null"
)]
pub fn render_template(
    env: &Env,
    source: String,
    context: Value,
    options: Option<RenderOptions>,
) -> napi::Result<String> {
    let html = options.and_then(|o| o.html).unwrap_or(false);
    core::render_template(&source, &context, html).map_err(|e| to_napi_error(env, &e))
}

/// Whether `signature` (the `X-Twilio-Signature` header) is Twilio's signature of `url`
/// and the POST form fields `params` under `authToken`; compared in constant time. The
/// signature check only: freshness and replays are the event handling's job.
///
/// ```js
/// verifyTwilioSignature(authToken, 'https://example.com/sms', { From: '+14158675309', Body: 'STOP' }, header)
/// ```
#[napi(
    catch_unwind,
    ts_args_type = "authToken: string, url: string, params: { [name: string]: string }, signature: string"
)]
pub fn verify_twilio_signature(
    auth_token: String,
    url: String,
    params: HashMap<String, String>,
    signature: String,
) -> bool {
    let pairs: Vec<(String, String)> = params.into_iter().collect();
    core::verify_twilio_signature(&auth_token, &url, &pairs, &signature)
}

/// Whether `signature` is the hex HMAC-SHA256 of `timestamp` + `token` under Mailgun's
/// `signingKey`; compared in constant time. The signature check only: freshness and
/// replays are the event handling's job.
#[napi(catch_unwind)]
pub fn verify_mailgun_signature(
    signing_key: String,
    timestamp: String,
    token: String,
    signature: String,
) -> bool {
    core::verify_mailgun_signature(&signing_key, &timestamp, &token, &signature)
}
