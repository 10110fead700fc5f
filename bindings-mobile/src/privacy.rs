//! Mobile bindings of `creator_crm::privacy`: the JSON sanitizer (on JSON
//! strings), text redaction, the creator-safe supporter view and the
//! supporter-action guard.

use std::time::SystemTime;

use creator_crm::{
    privacy::{self, ActionGuard, ActionKind, PiiKind, Policy, Pseudonymizer, SupporterAction},
    supporters::{Supporter, SupporterId},
};

use crate::{
    errors::CrmError,
    supporters::{FanClub, Segment},
    time::{from_system_time, opt_to_system_time, to_system_time},
};

/// What [`sanitize_json`] removes besides the defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct SanitizeOptions {
    /// More keys to remove, in any spelling.
    #[uniffi(default = [])]
    pub deny: Vec<String>,
    /// Keys to keep although a default rule removes them (their strings are still redacted).
    #[uniffi(default = [])]
    pub keep: Vec<String>,
    /// Keep only these paths (`supporter.id`, `items.*.sku`); `None` keeps everything allowed.
    #[uniffi(default = None)]
    pub allow_only: Option<Vec<String>>,
}

impl From<SanitizeOptions> for Policy {
    fn from(o: SanitizeOptions) -> Self {
        let mut p = Policy::default();
        for k in &o.deny {
            p = p.deny_key(k);
        }
        for k in &o.keep {
            p = p.keep_key(k);
        }
        if let Some(paths) = o.allow_only {
            p = p.allow_only(paths);
        }
        p
    }
}

/// Why a [`Removal`] was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum RemovalKind {
    /// A field whose key names personal data was removed.
    PersonalField,
    /// A field outside the allow-list was removed.
    NotAllowed,
    /// An email address was redacted.
    Email,
    /// A phone number was redacted.
    Phone,
    /// An IP address was redacted.
    Ip,
    /// A street address was redacted.
    Address,
}

impl From<privacy::RemovalKind> for RemovalKind {
    fn from(kind: privacy::RemovalKind) -> Self {
        match kind {
            privacy::RemovalKind::PersonalField => RemovalKind::PersonalField,
            privacy::RemovalKind::NotAllowed => RemovalKind::NotAllowed,
            privacy::RemovalKind::Email => RemovalKind::Email,
            privacy::RemovalKind::Phone => RemovalKind::Phone,
            privacy::RemovalKind::Ip => RemovalKind::Ip,
            privacy::RemovalKind::Address => RemovalKind::Address,
        }
    }
}

/// One removal or redaction: where (a JSONPath) and why, never the value.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Removal {
    /// JSONPath of the removed field or redacted string, e.g. `$.items[2].note`.
    pub path: String,
    /// Why.
    pub kind: RemovalKind,
}

/// Sanitized JSON text and what was removed.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct SanitizeReport {
    /// The sanitized document, compact JSON.
    pub json: String,
    /// What was removed or redacted, in document order.
    pub removed: Vec<Removal>,
}

impl std::fmt::Debug for SanitizeReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SanitizeReport")
            .field("json", &format_args!("<{} bytes>", self.json.len()))
            .field("removed", &self.removed)
            .finish()
    }
}

/// Removes personal data from a JSON document given as text: fields whose
/// key names personal data (any spelling, any depth) go; emails, phones, IP
/// and street addresses in strings become `[email]`, `[phone]`, `[ip]`,
/// `[address]`. Returns compact JSON.
///
/// Errors: `InvalidInput` (field `json`) when the text is not JSON.
#[uniffi::export(default(options = None))]
pub fn sanitize_json(json: String, options: Option<SanitizeOptions>) -> Result<String, CrmError> {
    Ok(sanitize_json_report(json, options)?.json)
}

/// [`sanitize_json`] also returning what was removed.
#[uniffi::export(default(options = None))]
pub fn sanitize_json_report(
    json: String,
    options: Option<SanitizeOptions>,
) -> Result<SanitizeReport, CrmError> {
    let policy = Policy::from(options.unwrap_or_default());
    let out = privacy::sanitize_json_str(&json, &policy)?;
    Ok(SanitizeReport {
        json: out.json,
        removed: out
            .removed
            .into_iter()
            .map(|r| Removal {
                path: r.path,
                kind: r.kind.into(),
            })
            .collect(),
    })
}

/// What kind of personal data a [`Finding`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PiiType {
    /// An email address.
    Email,
    /// A phone number.
    Phone,
    /// An IPv4 or IPv6 address.
    Ip,
    /// A street address.
    Address,
}

impl From<PiiKind> for PiiType {
    fn from(kind: PiiKind) -> Self {
        match kind {
            PiiKind::Email => PiiType::Email,
            PiiKind::Phone => PiiType::Phone,
            PiiKind::Ip => PiiType::Ip,
            PiiKind::Address => PiiType::Address,
        }
    }
}

/// One piece of personal data found by [`redact_text`]: its kind and span in
/// the original text, in UTF-16 code units (Kotlin/Java `String` indices,
/// Swift `String.utf16`). Never the value.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Finding {
    /// What was found.
    pub kind: PiiType,
    /// Start offset.
    pub start: u32,
    /// End offset (exclusive).
    pub end: u32,
}

/// The result of [`redact_text`].
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct Redacted {
    /// The text with placeholders in place of what was found.
    pub text: String,
    /// What was found, in text order.
    pub found: Vec<Finding>,
}

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redacted")
            .field("text", &format_args!("<{} bytes>", self.text.len()))
            .field("found", &self.found)
            .finish()
    }
}

/// Replaces emails, phone numbers, IP addresses and street addresses in free
/// text with `[email]`, `[phone]`, `[ip]`, `[address]`.
#[uniffi::export]
pub fn redact_text(text: String) -> Redacted {
    let r = privacy::redact_text(&text);
    let utf16 = |byte: usize| {
        u32::try_from(text.get(..byte).map_or(0, |s| s.encode_utf16().count())).unwrap_or(u32::MAX)
    };
    Redacted {
        found: r
            .found
            .iter()
            .map(|f| Finding {
                kind: f.kind.into(),
                start: utf16(f.start),
                end: utf16(f.end),
            })
            .collect(),
        text: r.text,
    }
}

/// Where a [`SupporterView`]'s label comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum NameSource {
    /// The public display name the supporter chose (redacted, trimmed).
    Chosen,
    /// A generated label, `Supporter #3f9a`.
    Generated,
}

/// The score fields a creator may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct ViewScore {
    /// Conversion probability, `0..=100`.
    pub probability: u8,
    /// Inbox priority.
    pub priority: u8,
    /// The supporter's segment.
    pub segment: Segment,
}

/// What a creator may see of a supporter: no personal-data field at all (no real name,
/// email, phone, handles, location, time zone, IP or device).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SupporterView {
    /// The host's id, or the pseudonymous id `sp_…` when a key was given.
    pub id: String,
    /// The label to show.
    pub display_name: String,
    /// Whether the label is the supporter's own choice.
    pub name_source: NameSource,
    /// When the supporter joined the platform.
    pub joined_at: SystemTime,
    /// Fan-club membership with the creator.
    pub fan_club: Option<FanClub>,
    /// Online right now.
    pub online: bool,
    /// Tokens spent with the creator, all time.
    pub lifetime_tokens: u64,
    /// The most recent activity toward the creator, if any.
    pub last_active_at: Option<SystemTime>,
    /// Score and segment, when given.
    pub score: Option<ViewScore>,
}

impl From<privacy::SupporterView> for SupporterView {
    fn from(v: privacy::SupporterView) -> Self {
        SupporterView {
            id: v.id,
            display_name: v.display_name,
            name_source: match v.name_source {
                privacy::NameSource::Chosen => NameSource::Chosen,
                privacy::NameSource::Generated => NameSource::Generated,
            },
            joined_at: to_system_time(v.joined_at),
            fan_club: v.fan_club.map(FanClub::from),
            online: v.online,
            lifetime_tokens: v.lifetime_tokens,
            last_active_at: opt_to_system_time(v.last_active_at),
            score: v.score.map(|s| ViewScore {
                probability: s.probability,
                priority: s.priority,
                segment: s.segment.into(),
            }),
        }
    }
}

/// The creator-safe view of a supporter.
///
/// `supporter_json` has the shape of the Rust `Supporter` (snake_case keys, the profile
/// included: the view is where it is left out). With `pseudonym_key` (16 bytes or more)
/// the `id` is the stable pseudonymous id `sp_…`. `score` is attached as given.
///
/// Errors: `InvalidInput` (field `supporter` or `key`).
#[uniffi::export(default(pseudonym_key = None, score = None))]
pub fn supporter_view(
    supporter_json: String,
    pseudonym_key: Option<Vec<u8>>,
    score: Option<ViewScore>,
) -> Result<SupporterView, CrmError> {
    let supporter: Supporter = serde_json::from_str(&supporter_json)
        .map_err(|e| creator_crm::host::shape_error("supporter", &e))?;
    let keys = pseudonym_key.map(|k| Pseudonymizer::new(&k)).transpose()?;
    let id = keys
        .as_ref()
        .map_or(privacy::ViewId::Host, privacy::ViewId::Pseudonymous);
    let mut view = privacy::SupporterView::new(&supporter, id);
    view.score = score.map(|s| privacy::ViewScore {
        probability: s.probability,
        priority: s.priority,
        segment: s.segment.into(),
    });
    Ok(view.into())
}

/// An action a creator asks to take on one supporter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SupporterActionKind {
    /// Send a message (rejected when its body holds contact details).
    SendMessage,
    /// Open the creator-safe profile.
    ViewProfile,
    /// Thank for a gift.
    ThankForGift,
    /// Invite to a live stream.
    InviteToLive,
    /// Reply to a comment or chat.
    Reply,
    /// Forbidden: message many supporters at once.
    BulkMessage,
    /// Forbidden: export the supporter list.
    ExportSupporterList,
    /// Forbidden: propose meeting in person.
    OfflineMeetup,
    /// Forbidden: reveal the supporter's identity.
    RevealIdentity,
    /// Forbidden: exchange contact details.
    ExchangeContactInfo,
}

impl From<ActionKind> for SupporterActionKind {
    fn from(kind: ActionKind) -> Self {
        match kind {
            ActionKind::SendMessage => SupporterActionKind::SendMessage,
            ActionKind::ViewProfile => SupporterActionKind::ViewProfile,
            ActionKind::ThankForGift => SupporterActionKind::ThankForGift,
            ActionKind::InviteToLive => SupporterActionKind::InviteToLive,
            ActionKind::Reply => SupporterActionKind::Reply,
            ActionKind::BulkMessage => SupporterActionKind::BulkMessage,
            ActionKind::ExportSupporterList => SupporterActionKind::ExportSupporterList,
            ActionKind::OfflineMeetup => SupporterActionKind::OfflineMeetup,
            ActionKind::RevealIdentity => SupporterActionKind::RevealIdentity,
            ActionKind::ExchangeContactInfo => SupporterActionKind::ExchangeContactInfo,
        }
    }
}

impl From<SupporterActionKind> for ActionKind {
    fn from(kind: SupporterActionKind) -> Self {
        match kind {
            SupporterActionKind::SendMessage => ActionKind::SendMessage,
            SupporterActionKind::ViewProfile => ActionKind::ViewProfile,
            SupporterActionKind::ThankForGift => ActionKind::ThankForGift,
            SupporterActionKind::InviteToLive => ActionKind::InviteToLive,
            SupporterActionKind::Reply => ActionKind::Reply,
            SupporterActionKind::BulkMessage => ActionKind::BulkMessage,
            SupporterActionKind::ExportSupporterList => ActionKind::ExportSupporterList,
            SupporterActionKind::OfflineMeetup => ActionKind::OfflineMeetup,
            SupporterActionKind::RevealIdentity => ActionKind::RevealIdentity,
            SupporterActionKind::ExchangeContactInfo => ActionKind::ExchangeContactInfo,
        }
    }
}

/// The record of one attempted action, for the host to store.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditRecord {
    /// The creator who asked.
    pub actor: String,
    /// The action asked.
    pub action: SupporterActionKind,
    /// The supporter's pseudonymous id.
    pub supporter: String,
    /// When.
    pub at: SystemTime,
    /// Whether it was allowed.
    pub allowed: bool,
    /// Why it was rejected.
    pub reason: Option<String>,
}

impl From<&privacy::AuditRecord> for AuditRecord {
    fn from(a: &privacy::AuditRecord) -> Self {
        AuditRecord {
            actor: a.actor.clone(),
            action: a.action.into(),
            supporter: a.supporter.as_str().to_owned(),
            at: to_system_time(a.at),
            allowed: a.allowed,
            reason: a.reason.clone(),
        }
    }
}

fn check(
    actor: &str,
    supporter_id: String,
    action: SupporterActionKind,
    body: Option<String>,
    pseudonym_key: &[u8],
    now: SystemTime,
) -> Result<Result<privacy::AuditRecord, privacy::Denied>, CrmError> {
    let keys = Pseudonymizer::new(pseudonym_key)?;
    let now = from_system_time(now)?;
    Ok(ActionGuard::new(&keys).authorize(
        actor,
        &SupporterId::from(supporter_id),
        &SupporterAction::from_kind(action.into(), body),
        now,
    ))
}

/// Checks one creator action on one supporter. Returns the audit record of
/// an allowed action; a forbidden one (or a message holding an email, phone
/// or street address) fails with `CrmError.Forbidden` — store its record
/// with [`audit_action`].
///
/// `pseudonym_key` is the host's key (16 bytes or more).
#[uniffi::export(default(body = None))]
pub fn authorize_action(
    actor: String,
    supporter_id: String,
    action: SupporterActionKind,
    pseudonym_key: Vec<u8>,
    now: SystemTime,
    body: Option<String>,
) -> Result<AuditRecord, CrmError> {
    match check(&actor, supporter_id, action, body, &pseudonym_key, now)? {
        Ok(audit) => Ok(AuditRecord::from(&audit)),
        Err(denied) => Err(denied.error.into()),
    }
}

/// The audit record of an attempt, allowed or not (the same check as
/// [`authorize_action`], never failing for a forbidden action).
#[uniffi::export(default(body = None))]
pub fn audit_action(
    actor: String,
    supporter_id: String,
    action: SupporterActionKind,
    pseudonym_key: Vec<u8>,
    now: SystemTime,
    body: Option<String>,
) -> Result<AuditRecord, CrmError> {
    Ok(
        match check(&actor, supporter_id, action, body, &pseudonym_key, now)? {
            Ok(audit) => AuditRecord::from(&audit),
            Err(denied) => AuditRecord::from(&denied.audit),
        },
    )
}
