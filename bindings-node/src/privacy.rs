//! Node bindings of `creator_crm::privacy`: the JSON sanitizer (plain objects
//! and JSON strings), text redaction, the creator-safe supporter view and the
//! supporter-action guard.

use creator_crm::{
    Error, host,
    privacy::{
        self, ActionGuard, ActionKind, AuditRecord, Policy, Pseudonymizer, SupporterAction,
        SupporterView, ViewId, ViewScore,
    },
    supporters::{Supporter, SupporterId},
};
use napi::{
    Env, JsValue, Task,
    bindgen_prelude::{AsyncTask, Buffer, JsObjectValue, Object},
};
use napi_derive::napi;
use serde_json::Value;

use crate::errors::to_napi_error;

/// What `sanitizeJson` removes besides the defaults.
#[napi(object)]
#[derive(Default)]
pub struct SanitizeOptions {
    /// More keys to remove, in any spelling (`"nickName"` also removes `nick_name`).
    pub deny: Option<Vec<String>>,
    /// Keys to keep although a default rule removes them (their strings are still redacted).
    pub keep: Option<Vec<String>>,
    /// Keep only these paths (`"supporter.id"`, `"items.*.sku"`); the deny rules
    /// still apply inside them.
    pub allow_only: Option<Vec<String>>,
}

fn policy(options: Option<SanitizeOptions>) -> Policy {
    let options = options.unwrap_or_default();
    let mut p = Policy::default();
    for k in options.deny.iter().flatten() {
        p = p.deny_key(k);
    }
    for k in options.keep.iter().flatten() {
        p = p.keep_key(k);
    }
    if let Some(paths) = options.allow_only {
        p = p.allow_only(paths);
    }
    p
}

/// One removal or redaction: where and why, never the value.
#[napi(object)]
pub struct Removal {
    /// JSONPath of the removed field or redacted string, e.g. `$.items[2].note`.
    pub path: String,
    /// `personal_field`, `not_allowed`, `email`, `phone`, `ip` or `address`.
    #[napi(ts_type = "'personal_field' | 'not_allowed' | 'email' | 'phone' | 'ip' | 'address'")]
    pub kind: String,
}

/// A sanitized value and what was removed.
#[napi(object)]
pub struct SanitizeReport {
    /// The value without personal data.
    #[napi(ts_type = "JsonValue")]
    pub value: Value,
    /// What was removed or redacted, in document order.
    pub removed: Vec<Removal>,
}

/// Removes personal data from a plain JavaScript value (object, array or
/// string), at any depth: fields whose key names personal data (`realName`,
/// `real_name`, `Real-Name`, `phone`, `ipAddress`, ... in any spelling) go;
/// emails, phones, IP and street addresses in strings become `[email]`,
/// `[phone]`, `[ip]`, `[address]`. Returns a new value.
///
/// ```js
/// sanitizeJson({ realName: 'Jane', note: 'mail jane@example.com' }) // { note: 'mail [email]' }
/// ```
#[napi(
    catch_unwind,
    ts_args_type = "value: unknown, options?: SanitizeOptions",
    ts_return_type = "JsonValue"
)]
pub fn sanitize_json(value: Value, options: Option<SanitizeOptions>) -> Value {
    policy(options).sanitize(value).value
}

/// `sanitizeJson` also returning what was removed (paths and kinds, never values).
#[napi(
    catch_unwind,
    ts_args_type = "value: unknown, options?: SanitizeOptions"
)]
pub fn sanitize_json_report(value: Value, options: Option<SanitizeOptions>) -> SanitizeReport {
    let out = policy(options).sanitize(value);
    SanitizeReport {
        value: out.value,
        removed: out
            .removed
            .into_iter()
            .map(|r| Removal {
                path: r.path,
                kind: r.kind.as_str().to_owned(),
            })
            .collect(),
    }
}

/// `sanitizeJson` on JSON text: returns the sanitized JSON text.
///
/// Throws an `InvalidInputError` (`field: "json"`) when the text is not JSON.
#[napi(catch_unwind)]
pub fn sanitize_json_string(
    env: &Env,
    json: String,
    options: Option<SanitizeOptions>,
) -> napi::Result<String> {
    privacy::sanitize_json_str(&json, &policy(options))
        .map(|out| out.json)
        .map_err(|e| to_napi_error(env, &e))
}

/// The work of [`sanitize_json_strings_async`], run on the libuv thread pool.
pub struct SanitizeStringsTask {
    docs: Vec<String>,
    policy: Policy,
}

impl Task for SanitizeStringsTask {
    type Output = Vec<Option<String>>;
    type JsValue = Vec<Option<String>>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(self
            .docs
            .iter()
            .map(|doc| {
                privacy::sanitize_json_str(doc, &self.policy)
                    .ok()
                    .map(|o| o.json)
            })
            .collect())
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output)
    }
}

/// Sanitizes many JSON documents off the JavaScript thread (a batch export,
/// a page of API responses). Resolves to one entry per document: the
/// sanitized JSON text, or `null` for a document that is not JSON.
#[napi(
    catch_unwind,
    ts_args_type = "docs: Array<string>, options?: SanitizeOptions",
    ts_return_type = "Promise<Array<string | null>>"
)]
pub fn sanitize_json_strings_async(
    docs: Vec<String>,
    options: Option<SanitizeOptions>,
) -> AsyncTask<SanitizeStringsTask> {
    AsyncTask::new(SanitizeStringsTask {
        docs,
        policy: policy(options),
    })
}

/// One piece of personal data found by `redactText`: `text.slice(start, end)`
/// of the original text (UTF-16 offsets, as JavaScript strings count).
#[napi(object)]
pub struct Finding {
    /// What was found.
    #[napi(ts_type = "'email' | 'phone' | 'ip' | 'address'")]
    pub kind: String,
    /// Start offset in the original text.
    pub start: u32,
    /// End offset (exclusive) in the original text.
    pub end: u32,
}

/// The result of `redactText`.
#[napi(object)]
pub struct Redacted {
    /// The text with `[email]`, `[phone]`, `[ip]`, `[address]` in place of what was found.
    pub text: String,
    /// What was found, in text order.
    pub found: Vec<Finding>,
}

/// Replaces emails, phone numbers, IP addresses and street addresses in free
/// text (notes, chat previews).
///
/// ```js
/// redactText('text me at 415.555.0134').text // 'text me at [phone]'
/// ```
#[napi(catch_unwind)]
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
                kind: f.kind.as_str().to_owned(),
                start: utf16(f.start),
                end: utf16(f.end),
            })
            .collect(),
        text: r.text,
    }
}

/// Options of `supporterView`.
#[napi(object)]
pub struct ViewOptions {
    /// The host's key (16 bytes or more): the view's `id` becomes the stable
    /// pseudonymous id `sp_…` (HMAC-SHA256 of the supporter id).
    pub pseudonym_key: Option<Buffer>,
    /// `{ probability, priority, segment }` to attach.
    #[napi(ts_type = "ViewScore")]
    pub score: Option<Value>,
}

fn pseudonymizer(env: &Env, key: &[u8]) -> napi::Result<Pseudonymizer> {
    Pseudonymizer::new(key).map_err(|e| to_napi_error(env, &e))
}

fn from_json<T: serde::de::DeserializeOwned>(
    env: &Env,
    value: Value,
    field: &'static str,
) -> napi::Result<T> {
    // serde's messages may quote input values: core's reason never does.
    serde_json::from_value(value).map_err(|e| to_napi_error(env, &host::shape_error(field, &e)))
}

/// The creator-safe view of a supporter: an object with no personal-data
/// field at all (`id`, `display_name`, `name_source`, `joined_at`,
/// `fan_club`, `online`, `lifetime_tokens`, `last_active_at`, `score`).
/// `display_name` is the supporter's chosen public name (emails and phones
/// in it redacted; dropped when it matches their real name or contact
/// details), else `Supporter #xxxx`.
///
/// `supporter` has the shape of the Rust `Supporter` (snake_case keys).
/// Throws an `InvalidInputError` (`field: "supporter"`, `"score"` or `"key"`).
#[napi(
    catch_unwind,
    ts_args_type = "supporter: SupporterRecord, options?: ViewOptions",
    ts_return_type = "SupporterView"
)]
pub fn supporter_view(
    env: &Env,
    supporter: Value,
    options: Option<ViewOptions>,
) -> napi::Result<Value> {
    let supporter: Supporter = from_json(env, supporter, "supporter")?;
    let (key, score) = options.map_or((None, None), |o| (o.pseudonym_key, o.score));
    let keys = key.map(|k| pseudonymizer(env, &k)).transpose()?;
    let id = keys.as_ref().map_or(ViewId::Host, ViewId::Pseudonymous);
    let mut view = SupporterView::new(&supporter, id);
    if let Some(score) = score {
        view.score = Some(from_json::<ViewScore>(env, score, "score")?);
    }
    serde_json::to_value(&view)
        .map_err(|_| to_napi_error(env, &Error::invalid("supporter", "could not be written")))
}

/// Options of `authorizeAction`.
#[napi(object)]
pub struct ActionOptions {
    /// The host's key for pseudonymous ids (16 bytes or more).
    pub pseudonym_key: Buffer,
    /// The time of the attempt, RFC 3339 (`new Date().toISOString()`).
    pub now: String,
    /// The message text, for `send_message`.
    pub body: Option<String>,
}

/// An audit record of one attempted action, for the host to store.
#[napi(object)]
pub struct Audit {
    /// The creator who asked.
    pub actor: String,
    /// The action asked.
    #[napi(
        ts_type = "'send_message' | 'view_profile' | 'thank_for_gift' | 'invite_to_live' | 'reply' | 'bulk_message' | 'export_supporter_list' | 'offline_meetup' | 'reveal_identity' | 'exchange_contact_info'"
    )]
    pub action: String,
    /// The supporter's pseudonymous id.
    pub supporter: String,
    /// When, RFC 3339.
    pub at: String,
    /// Whether it was allowed.
    pub allowed: bool,
    /// Why it was rejected.
    pub reason: Option<String>,
}

impl From<&AuditRecord> for Audit {
    fn from(a: &AuditRecord) -> Self {
        Audit {
            actor: a.actor.clone(),
            action: a.action.as_str().to_owned(),
            supporter: a.supporter.as_str().to_owned(),
            at: a.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            allowed: a.allowed,
            reason: a.reason.clone(),
        }
    }
}

/// The action named `name` (core's names, `ActionKind::from_str`), `body` for a message.
fn action(env: &Env, name: &str, body: Option<String>) -> napi::Result<SupporterAction> {
    let kind: ActionKind = name.parse().map_err(|e| to_napi_error(env, &e))?;
    Ok(SupporterAction::from_kind(kind, body))
}

/// Checks one creator action on one supporter and returns its audit record.
///
/// Allowed: `send_message`, `view_profile`, `thank_for_gift`, `invite_to_live`,
/// `reply`. Forbidden (throws a `ForbiddenError`, `code: "forbidden"`, whose
/// `audit` property holds the record to store): `bulk_message`,
/// `export_supporter_list`, `offline_meetup`, `reveal_identity`,
/// `exchange_contact_info`, and a `send_message` whose body holds an email,
/// phone number or street address.
#[napi(
    catch_unwind,
    ts_args_type = "actor: string, supporterId: string, action: 'send_message' | 'view_profile' | 'thank_for_gift' | 'invite_to_live' | 'reply' | 'bulk_message' | 'export_supporter_list' | 'offline_meetup' | 'reveal_identity' | 'exchange_contact_info', options: ActionOptions"
)]
pub fn authorize_action(
    env: &Env,
    actor: String,
    supporter_id: String,
    action: String,
    options: ActionOptions,
) -> napi::Result<Audit> {
    let keys = pseudonymizer(env, &options.pseudonym_key)?;
    let action = self::action(env, &action, options.body)?;
    let now = crate::data::instant(env, &options.now, "now")?;
    match ActionGuard::new(&keys).authorize(&actor, &SupporterId::from(supporter_id), &action, now)
    {
        Ok(audit) => Ok(Audit::from(&audit)),
        Err(denied) => {
            let err = to_napi_error(env, &denied.error);
            Err(attach_audit(env, err, Audit::from(&denied.audit)))
        }
    }
}

/// Sets `audit` on the error object a `to_napi_error` built.
fn attach_audit(env: &Env, err: napi::Error, audit: Audit) -> napi::Error {
    let attach = || -> napi::Result<napi::Error> {
        let mut obj: Object<'_> = env.create_error(err)?;
        obj.set_named_property("audit", audit)?;
        Ok(napi::Error::from(obj.to_unknown()))
    };
    attach().unwrap_or_else(|e| e)
}
