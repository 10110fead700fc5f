//! Mobile bindings of the pure functions of `creator_crm::outreach`: SMS encoding and
//! segments, inbound keywords, the quiet-hour send window, template rendering, and
//! provider webhook signatures.

use std::{collections::HashMap, time::SystemTime};

use creator_crm::{identity::E164, outreach as core};

use crate::{
    errors::CrmError,
    quiet_hours::{self, QuietHours},
    time::{from_system_time, to_system_time},
};

/// The character set an SMS is sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum SmsEncoding {
    /// The GSM 03.38 7-bit default alphabet with its extension table.
    Gsm7,
    /// UCS-2 (UTF-16 on the wire), for a message with any character GSM-7 lacks.
    Ucs2,
}

impl From<core::SmsEncoding> for SmsEncoding {
    fn from(e: core::SmsEncoding) -> Self {
        match e {
            core::SmsEncoding::Gsm7 => SmsEncoding::Gsm7,
            core::SmsEncoding::Ucs2 => SmsEncoding::Ucs2,
        }
    }
}

impl From<SmsEncoding> for core::SmsEncoding {
    fn from(e: SmsEncoding) -> Self {
        match e {
            SmsEncoding::Gsm7 => core::SmsEncoding::Gsm7,
            SmsEncoding::Ucs2 => core::SmsEncoding::Ucs2,
        }
    }
}

#[uniffi::export]
impl SmsEncoding {
    /// `"GSM-7"` or `"UCS-2"`, the names carriers and Twilio use.
    pub fn label(&self) -> String {
        core::SmsEncoding::from(*self).as_str().to_owned()
    }
}

/// How an SMS body is encoded and how many segments it is billed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct SmsSegments {
    /// The encoding the message is sent in.
    pub encoding: SmsEncoding,
    /// Segments the message is split into (0 for an empty body): GSM-7 fits 160 units in
    /// one segment and 153 per segment of a longer message, UCS-2 70 and 67.
    pub segments: u32,
    /// Characters (Unicode scalar values) in the body.
    pub characters: u32,
    /// Code units the body takes: septets for GSM-7 (an extension character is 2), UTF-16
    /// units for UCS-2 (a surrogate pair, most emoji, is 2).
    pub units: u32,
}

/// The encoding and segment count of an SMS body, as carriers and Twilio count them.
#[uniffi::export]
pub fn sms_segments(text: String) -> SmsSegments {
    core::sms_segments(&text).into()
}

impl From<core::SmsSegments> for SmsSegments {
    fn from(s: core::SmsSegments) -> Self {
        SmsSegments {
            encoding: s.encoding.into(),
            segments: s.segments,
            characters: s.characters,
            units: s.units,
        }
    }
}

/// What an inbound SMS asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum SmsKeyword {
    /// Revokes consent in any reasonable wording (STOP, "STOP please", "opt out", ...).
    OptOut,
    /// Gives consent back (START, YES, UNSTOP).
    OptIn,
    /// Asks for help or information (HELP, INFO).
    Help,
}

#[uniffi::export]
impl SmsKeyword {
    /// `"opt_out"`, `"opt_in"` or `"help"`, the names every binding uses.
    pub fn code(&self) -> String {
        let k = match self {
            SmsKeyword::OptOut => core::Keyword::OptOut,
            SmsKeyword::OptIn => core::Keyword::OptIn,
            SmsKeyword::Help => core::Keyword::Help,
        };
        k.as_str().to_owned()
    }
}

/// What an inbound SMS body asks for, if anything; an opt-out wins over anything else in
/// the same reply, and a sentence that merely contains "stop" or "end" is none.
#[uniffi::export]
pub fn sms_keyword(text: String) -> Option<SmsKeyword> {
    core::sms_keyword(&text).map(keyword)
}

/// A core keyword as the enum.
pub(crate) fn keyword(k: core::Keyword) -> SmsKeyword {
    match k {
        core::Keyword::OptOut => SmsKeyword::OptOut,
        core::Keyword::OptIn => SmsKeyword::OptIn,
        core::Keyword::Help => SmsKeyword::Help,
    }
}

/// The earliest instant at or after `now` when an SMS may reach `phone` (E.164, as
/// `parsePhone` gives it: `+12145550123`) under the quiet-hour `rules` (the default table
/// when `None`): `now` itself when allowed. `state` is the recipient's two-letter state when the host knows it; else
/// the number's area code decides, and when it spans several time zones every one must
/// allow the send.
///
/// # Errors
/// `InvalidInput` on field `phone` for a number not in E.164 form or not a +1 number;
/// `InvalidInput` for an unknown state, a `now` out of range, or when no time within 15
/// days is allowed, or on field `days` for a week rule without 7 days.
#[uniffi::export(default(state = None, rules = None))]
pub fn sms_send_window(
    phone: String,
    now: SystemTime,
    state: Option<String>,
    rules: Option<QuietHours>,
) -> Result<SystemTime, CrmError> {
    let phone: E164 = phone.parse()?;
    let now = from_system_time(now)?;
    let rules = quiet_hours::rules(rules.as_ref())?;
    let at = core::sms_send_window(&phone, now, state.as_deref(), &rules)?;
    Ok(to_system_time(at))
}

/// Compiles and renders a minijinja template once: `context_json` is a JSON object of the
/// variables, undefined variables are errors, `html` turns auto-escaping on, and the
/// default fuel and size limits apply.
///
/// # Errors
/// `InvalidInput` on field `context` when `context_json` is not JSON; `Template` when the
/// template does not parse, uses an undefined variable, or exceeds a limit.
#[uniffi::export(default(html = false))]
pub fn render_template(
    source: String,
    context_json: String,
    html: bool,
) -> Result<String, CrmError> {
    let ctx: serde_json::Value = serde_json::from_str(&context_json)
        .map_err(|e| creator_crm::host::shape_error("context", &e))?;
    Ok(core::render_template(&source, &ctx, html)?)
}

/// Whether `signature` (the `X-Twilio-Signature` header) is Twilio's signature of `url` and
/// the POST form fields `params` under `auth_token`: base64 HMAC-SHA1 of the URL and the
/// sorted fields, compared in constant time. A signature check only.
#[uniffi::export]
pub fn verify_twilio_signature(
    auth_token: String,
    url: String,
    params: HashMap<String, String>,
    signature: String,
) -> bool {
    let params: Vec<(String, String)> = params.into_iter().collect();
    core::verify_twilio_signature(&auth_token, &url, &params, &signature)
}

/// Whether `signature` is Mailgun's hex HMAC-SHA256 of `timestamp` and `token` under
/// `signing_key`, compared in constant time. A signature check only: freshness and replay
/// are the event API's job.
#[uniffi::export]
pub fn verify_mailgun_signature(
    signing_key: String,
    timestamp: String,
    token: String,
    signature: String,
) -> bool {
    core::verify_mailgun_signature(&signing_key, &timestamp, &token, &signature)
}

/// Replaces curly quotes, dashes, ellipses, odd spaces and their look-alikes with GSM-7
/// equivalents, as Twilio's smart encoding does; other characters (accented letters,
/// emoji) are kept, so a message that needs UCS-2 still gets it.
#[uniffi::export]
pub fn smart_encode(text: String) -> String {
    core::smart_encode(&text).into_owned()
}

/// Whether a Twilio request with a JSON `body` is genuine: `url` carries `bodySHA256`, the
/// hex SHA-256 of the raw body, and `signature` signs that URL without parameters. Both
/// checks run in constant time.
#[uniffi::export]
pub fn verify_twilio_body_signature(
    auth_token: String,
    url: String,
    body: Vec<u8>,
    signature: String,
) -> bool {
    core::verify_twilio_body_signature(&auth_token, &url, &body, &signature)
}

/// Checks that a webhook's `timestamp` (Unix seconds) is within `max_age_seconds` of `now`,
/// in either direction.
///
/// # Errors
/// `Webhook` on field `timestamp`: a stale timestamp (possibly replayed), one in the future
/// (a skewed or forged clock), or one out of range; `InvalidInput` for a `now` out of range.
#[uniffi::export]
pub fn check_freshness(
    timestamp: i64,
    now: SystemTime,
    max_age_seconds: u32,
) -> Result<(), CrmError> {
    let now = from_system_time(now)?;
    let max_age = chrono::Duration::seconds(i64::from(max_age_seconds));
    Ok(core::check_freshness(timestamp, now, max_age)?)
}

/// The earliest instant at or after `now` when one more message keeps the recipient within
/// `cap` messages in any 24 hours, given the times of the messages already sent (any
/// order): `now` when there is room; a cap of 0 counts as 1.
///
/// # Errors
/// `InvalidInput` for an instant out of range.
#[uniffi::export]
pub fn next_under_daily_cap(
    sent: Vec<SystemTime>,
    now: SystemTime,
    cap: u32,
) -> Result<SystemTime, CrmError> {
    let sent = sent
        .into_iter()
        .map(from_system_time)
        .collect::<Result<Vec<_>, _>>()?;
    let now = from_system_time(now)?;
    Ok(to_system_time(core::next_under_daily_cap(&sent, now, cap)))
}

/// The channel of an outreach message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum Channel {
    /// Email through the host's email provider.
    Email,
    /// SMS through the host's SMS provider.
    Sms,
}

/// The deterministic idempotency key of a message, the outbox's guard against sending
/// twice: `ob_` and 32 hex digits of SHA-256 over the length-prefixed (workspace, creator,
/// template, channel, campaign).
#[uniffi::export]
pub fn idempotency_key(
    workspace: String,
    creator: String,
    template: String,
    channel: Channel,
    campaign: String,
) -> String {
    core::idempotency_key(
        &workspace,
        &creator,
        &template,
        core_channel(channel),
        &campaign,
    )
}

/// The enum as a core channel.
pub(crate) fn core_channel(c: Channel) -> core::Channel {
    match c {
        Channel::Email => core::Channel::Email,
        Channel::Sms => core::Channel::Sms,
    }
}

/// What a signed SMS-consent link vouches for.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConsentClaim {
    /// The workspace (brand) the consent is given to.
    pub workspace: String,
    /// The creator giving it (the creator's id or handle).
    pub creator: String,
    /// The version of the consent text the creator was shown.
    pub text_version: String,
    /// The link stops working at this instant (whole seconds).
    pub expires_at: SystemTime,
}

/// The token of an SMS-consent link for `claim` under `key` (at least 16 bytes): the
/// claim and an HMAC-SHA256 over it, base64url.
///
/// # Errors
/// `Consent` on field `key` for a key shorter than 16 bytes, on a claim field holding NUL;
/// `InvalidInput` for an expiry out of range.
#[uniffi::export]
pub fn sign_consent_token(key: Vec<u8>, claim: ConsentClaim) -> Result<String, CrmError> {
    let claim = core::ConsentClaim {
        workspace: claim.workspace,
        creator: claim.creator,
        text_version: claim.text_version,
        expires_at: from_system_time(claim.expires_at)?,
    };
    Ok(core::sign_consent_token(&key, &claim)?)
}

/// The claim of a consent token signed under `key`, if its MAC is right (checked in
/// constant time) and it has not expired at `now`.
///
/// # Errors
/// `Consent` on field `token`: malformed, bad signature, or expired; `InvalidInput` for a
/// `now` out of range.
#[uniffi::export]
pub fn verify_consent_token(
    key: Vec<u8>,
    token: String,
    now: SystemTime,
) -> Result<ConsentClaim, CrmError> {
    let c = core::verify_consent_token(&key, &token, from_system_time(now)?)?;
    Ok(ConsentClaim {
        workspace: c.workspace,
        creator: c.creator,
        text_version: c.text_version,
        expires_at: to_system_time(c.expires_at),
    })
}

/// How SMS bodies are prepared and checked before they are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct SmsPolicy {
    /// Apply [`smart_encode`] before counting and sending.
    #[uniffi(default = true)]
    pub smart_encoding: bool,
    /// Warn when a body takes more than this many segments.
    #[uniffi(default = 2)]
    pub warn_above_segments: u32,
}

/// Something about an SMS body that staff should see before sending it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SmsWarning {
    /// The body takes `segments` segments, more than the policy's `limit`.
    TooManySegments {
        /// Segments the body takes.
        segments: u32,
        /// The policy's threshold.
        limit: u32,
    },
}

/// An SMS body as it will be sent, with its count and any warning.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PreparedSms {
    /// The body after smart encoding (when the policy asks for it).
    pub body: String,
    /// Its encoding and segments.
    pub segments: SmsSegments,
    /// Set when the body takes more segments than the policy's threshold.
    pub warning: Option<SmsWarning>,
}

/// Prepares an SMS body for sending under `policy` (smart encoding on and a warning past
/// 2 segments when `None`).
#[uniffi::export(default(policy = None))]
pub fn prepare_sms(body: String, policy: Option<SmsPolicy>) -> PreparedSms {
    let policy = policy.map_or_else(core::SmsPolicy::default, |p| core::SmsPolicy {
        smart_encoding: p.smart_encoding,
        warn_above_segments: p.warn_above_segments,
    });
    let p = policy.prepare(&body);
    PreparedSms {
        segments: p.segments.into(),
        body: p.body,
        warning: p.warning.map(|w| match w {
            core::SmsWarning::TooManySegments { segments, limit } => {
                SmsWarning::TooManySegments { segments, limit }
            }
        }),
    }
}

/// An approved creator as the outreach planner sees them.
///
/// Its text form (`toString` in Kotlin, `description` in Swift) names the creator only:
/// the addresses are personal data.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct OutreachTarget {
    /// The creator's stable id (or handle).
    pub creator: String,
    /// Their email, if any (normalized first; a placeholder counts as none).
    #[uniffi(default = None)]
    pub email: Option<String>,
    /// Their phone in E.164 (`+12145550123`), if any.
    #[uniffi(default = None)]
    pub phone: Option<String>,
    /// Whether SMS consent is on record and not revoked.
    #[uniffi(default = false)]
    pub sms_consent: bool,
    /// Whether email to them is stopped (unsubscribe, complaint, suppression).
    #[uniffi(default = false)]
    pub email_stopped: bool,
    /// Their state, when the host knows it (for quiet hours).
    #[uniffi(default = None)]
    pub state: Option<String>,
}

impl std::fmt::Debug for OutreachTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OutreachTarget({}, <redacted>)", self.creator)
    }
}

display_as_debug!(OutreachTarget);

/// The campaign being planned.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Campaign {
    /// The workspace (brand) sending it.
    pub workspace: String,
    /// The campaign id (e.g. `welcome-2026-06`).
    pub id: String,
    /// The email template's name.
    pub email_template: String,
    /// The SMS template's name, when the campaign texts too.
    #[uniffi(default = None)]
    pub sms_template: Option<String>,
}

/// One message to send.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlannedMessage {
    /// Deterministic per (workspace, creator, template, channel, campaign): planning again
    /// yields the same key, so the outbox never sends twice.
    pub idempotency_key: String,
    /// The creator.
    pub creator: String,
    /// The channel.
    pub channel: Channel,
    /// The template's name.
    pub template: String,
    /// The earliest time it may go out (quiet hours for SMS; `now` for email).
    pub not_before: SystemTime,
}

/// Why a message was not planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum SkipReason {
    /// No email address (or no phone for SMS).
    NoAddress,
    /// No SMS consent on record, or it was revoked.
    NoConsent,
    /// Email to this creator is stopped.
    Stopped,
    /// No allowed send time could be found for the number.
    NoSendWindow,
}

/// A message that was not planned.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SkippedMessage {
    /// The creator.
    pub creator: String,
    /// The channel.
    pub channel: Channel,
    /// Why.
    pub reason: SkipReason,
}

/// What [`plan_outreach`] decided.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OutreachPlan {
    /// Messages to send, in target order, email before SMS for each creator.
    pub messages: Vec<PlannedMessage>,
    /// Messages not planned, with the reason.
    pub skipped: Vec<SkippedMessage>,
}

/// A core channel as the enum.
pub(crate) fn channel(c: core::Channel) -> Channel {
    match c {
        core::Channel::Email => Channel::Email,
        core::Channel::Sms => Channel::Sms,
    }
}

/// Plans `campaign` for `targets` at `now`: an email for each creator with an address
/// whose email is not stopped; an SMS (when the campaign has one) for each with a phone
/// and unrevoked consent, not before the quiet-hour window opens under `rules` (the
/// default table when `None`).
///
/// # Errors
/// `InvalidInput` on field `email` or `phone` for an address that does not parse (its
/// 1-based target number as the line), a `now` out of range, or on field `days` for a
/// week rule without 7 days.
#[uniffi::export(default(rules = None))]
pub fn plan_outreach(
    targets: Vec<OutreachTarget>,
    campaign: Campaign,
    now: SystemTime,
    rules: Option<QuietHours>,
) -> Result<OutreachPlan, CrmError> {
    let now = from_system_time(now)?;
    let rules = quiet_hours::rules(rules.as_ref())?;
    let targets = targets
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let line = u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1);
            let email = match &t.email {
                Some(e) => creator_crm::identity::Email::parse(e).map_err(|e| e.with_line(line))?,
                None => None,
            };
            let phone = t
                .phone
                .as_deref()
                .map(str::parse::<E164>)
                .transpose()
                .map_err(|e| e.with_line(line))?;
            Ok(core::OutreachTarget {
                creator: t.creator,
                email,
                phone,
                sms_consent: t.sms_consent,
                email_stopped: t.email_stopped,
                state: t.state,
            })
        })
        .collect::<Result<Vec<_>, creator_crm::Error>>()?;
    let campaign = core::Campaign {
        workspace: campaign.workspace,
        id: campaign.id,
        email_template: campaign.email_template,
        sms_template: campaign.sms_template,
    };
    Ok(plan_out(core::plan_outreach(
        &targets, &campaign, now, &rules,
    )))
}

/// A core plan as the record.
pub(crate) fn plan_out(plan: core::OutreachPlan) -> OutreachPlan {
    OutreachPlan {
        messages: plan
            .messages
            .into_iter()
            .map(|m| PlannedMessage {
                idempotency_key: m.idempotency_key,
                creator: m.creator,
                channel: channel(m.channel),
                template: m.template,
                not_before: to_system_time(m.not_before),
            })
            .collect(),
        skipped: plan
            .skipped
            .into_iter()
            .map(|s| SkippedMessage {
                creator: s.creator,
                channel: channel(s.channel),
                reason: match s.reason {
                    core::SkipReason::NoAddress => SkipReason::NoAddress,
                    core::SkipReason::NoConsent => SkipReason::NoConsent,
                    core::SkipReason::Stopped => SkipReason::Stopped,
                    core::SkipReason::NoSendWindow => SkipReason::NoSendWindow,
                },
            })
            .collect(),
    }
}
