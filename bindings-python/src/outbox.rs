//! Python bindings of `creator_crm::outbox`: `OutreachService` over a `Crm`, the
//! built-in store's outbox and consent ledger, and senders written in Python.
//!
//! A sender is any object with `send_email(message: dict) -> str` and/or
//! `send_sms(message: dict) -> str`, returning the provider's message id. Raising
//! `MessagingError` says the provider did not take the message (it is queued again);
//! any other exception means the outcome is unknown, and the message is recorded as
//! `unknown` and never sent again automatically. Calls keep the GIL: the senders are
//! Python, and so may be the outreach store (any object with the outreach store
//! methods, see `store.rs`).

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use creator_crm::{
    Error, ErrorKind,
    messaging::{EmailSender, OutboundEmail, OutboundSms, SendReceipt, SmsSender},
    outbox::{
        ConsentAction, DeliveryOutcome, OutreachConfig, OutreachService, OutreachStore, SendOutcome,
    },
    outreach::{Channel, TemplateSet},
};
use pyo3::{prelude::*, types::PyDict};
use serde_json::{Value, json};

use crate::{crm::PyCrm, data, errors, store::outreach_store};

fn invalid(field: &'static str, reason: &'static str) -> PyErr {
    errors::to_py_err(Error::invalid(field, reason))
}

/// `now`, or the clock when not given.
fn read_now(now: Option<&Bound<'_, PyAny>>) -> PyResult<DateTime<Utc>> {
    match now {
        Some(n) => data::from_py(n, "now"),
        None => Ok(Utc::now()),
    }
}

/// A Python object as the host's email and SMS sender.
struct PySender {
    obj: Py<PyAny>,
    status_callback_base: Option<String>,
}

impl PySender {
    fn send(&self, method: &'static str, message: Value) -> Result<SendReceipt, Error> {
        Python::attach(|py| {
            let failed = |e: PyErr| {
                let kind = if e.is_instance_of::<errors::MessagingError>(py) {
                    ErrorKind::Messaging
                } else {
                    // Not a refusal: the outcome of the call is unknown.
                    ErrorKind::Storage
                };
                Error::new(kind, "sender failed")
                    .with_field(method)
                    .with_source(e)
            };
            let arg = data::to_py(py, &message).map_err(failed)?;
            let id = self
                .obj
                .bind(py)
                .call_method1(method, (arg,))
                .map_err(failed)?;
            let provider_message_id: String = id.extract().map_err(|_| {
                Error::new(
                    ErrorKind::Storage,
                    "a sender must return the provider's message id",
                )
                .with_field(method)
            })?;
            Ok(SendReceipt {
                provider_message_id,
            })
        })
    }
}

impl EmailSender for PySender {
    fn send_email(&self, m: &OutboundEmail) -> Result<SendReceipt, Error> {
        let headers: serde_json::Map<String, Value> = m
            .list_unsubscribe_headers()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Value::String(v)))
            .collect();
        let variables: serde_json::Map<String, Value> = m
            .provider_variables()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
            .collect();
        self.send(
            "send_email",
            json!({
                "outbox_id": m.outbox_id,
                "idempotency_key": m.idempotency_key,
                "to": m.to.as_str(),
                "subject": m.subject,
                "text": m.text,
                "html": m.html,
                "unsubscribe_url": m.unsubscribe_url,
                "headers": headers,
                "variables": variables,
            }),
        )
    }
}

impl SmsSender for PySender {
    fn send_sms(&self, m: &OutboundSms) -> Result<SendReceipt, Error> {
        let callback = self
            .status_callback_base
            .as_deref()
            .map(|base| m.status_callback_url(base));
        self.send(
            "send_sms",
            json!({
                "outbox_id": m.outbox_id,
                "idempotency_key": m.idempotency_key,
                "to": m.to.as_str(),
                "body": m.body,
                "status_callback": callback,
            }),
        )
    }
}

fn text(config: &Bound<'_, PyDict>, key: &str) -> PyResult<Option<String>> {
    match config.get_item(key)? {
        Some(v) if !v.is_none() => Ok(Some(v.extract()?)),
        _ => Ok(None),
    }
}

/// The keys `OutreachService` reads from its `config` dict.
const CONFIG_KEYS: [&str; 16] = [
    "campaign_id",
    "brand_name",
    "email_template",
    "sms_template",
    "community_invite_url",
    "postal_address",
    "unsubscribe_base_url",
    "consent_base_url",
    "consent_key",
    "consent_text_version",
    "consent_link_days",
    "max_attempts",
    "opt_out_reply",
    "opt_in_reply",
    "help_reply",
    "status_callback_base",
];

fn read_config(config: &Bound<'_, PyDict>) -> PyResult<(OutreachConfig, Option<String>)> {
    for key in config.keys() {
        let key: String = key.extract()?;
        if !CONFIG_KEYS.contains(&key.as_str()) {
            return Err(invalid("config", "unknown outreach config key"));
        }
    }
    let campaign = text(config, "campaign_id")?.ok_or_else(|| invalid("campaign_id", "missing"))?;
    let brand = text(config, "brand_name")?.ok_or_else(|| invalid("brand_name", "missing"))?;
    let mut c = OutreachConfig::welcome(&campaign, &brand);
    if let Some(t) = text(config, "email_template")? {
        c.campaign.email_template = t;
    }
    if config.contains("sms_template")? {
        c.campaign.sms_template = text(config, "sms_template")?;
    }
    let set = |target: &mut String, key: &str| -> PyResult<()> {
        if let Some(v) = text(config, key)? {
            *target = v;
        }
        Ok(())
    };
    set(&mut c.community_invite_url, "community_invite_url")?;
    set(&mut c.postal_address, "postal_address")?;
    set(&mut c.unsubscribe_base_url, "unsubscribe_base_url")?;
    set(&mut c.consent_text_version, "consent_text_version")?;
    set(&mut c.opt_out_reply, "opt_out_reply")?;
    set(&mut c.opt_in_reply, "opt_in_reply")?;
    set(&mut c.help_reply, "help_reply")?;
    c.consent_base_url = text(config, "consent_base_url")?;
    if let Some(k) = config.get_item("consent_key")? {
        c.consent_key = match k.extract::<String>() {
            Ok(s) => s.into_bytes(),
            Err(_) => k.extract()?,
        };
    }
    if let Some(d) = config.get_item("consent_link_days")? {
        c.consent_link_valid = Duration::days(d.extract()?);
    }
    if let Some(n) = config.get_item("max_attempts")? {
        c.max_attempts = n.extract()?;
    }
    Ok((c, text(config, "status_callback_base")?))
}

fn delivery_outcome(o: Option<DeliveryOutcome>) -> Option<&'static str> {
    o.map(|o| match o {
        DeliveryOutcome::Applied => "applied",
        DeliveryOutcome::Duplicate => "duplicate",
        DeliveryOutcome::UnknownMessage => "unknown_message",
    })
}

/// Welcome outreach over a `Crm`: approve, plan, send through your senders, recover
/// after a crash, apply delivery webhooks and inbound SMS, consent, history.
///
/// Args:
///     crm: The `Crm` (its workspace and actor are the service's).
///     sender: An object with `send_email(message)` and `send_sms(message)`, each
///         returning the provider's message id.
///     config: `campaign_id` and `brand_name` (required); `community_invite_url`,
///         `postal_address`, `unsubscribe_base_url` (the outbox id is appended),
///         `consent_base_url` and `consent_key` (the signed SMS-consent link),
///         `consent_text_version`, `consent_link_days`, `email_template`,
///         `sms_template` (None: email only), `max_attempts`, `opt_out_reply`,
///         `opt_in_reply`, `help_reply`, `status_callback_base` (Twilio status
///         callbacks: the outbox id is added to it).
///     store: Where the outbox and consent ledger live: a `MemoryStore`, a
///         `SqliteStore`, or any object with the outreach store methods (`outbox`,
///         `outbox_with_status`, `outbox_of`, `outbox_to`, `consent`, `events_seen`,
///         `apply_outreach`). Default: the `Crm`'s own store, when it is one of these.
///         An exception the store raises reaches the caller as that same exception.
///
/// Raises:
///     InvalidInputError: An unknown or missing config key, or no outreach store
///         (`field`: `store`, or the first outreach method the store lacks).
#[pyclass(name = "OutreachService", module = "creator_crm", frozen)]
pub struct PyOutreachService {
    service: OutreachService,
}

impl PyOutreachService {
    fn run<T>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&OutreachService) -> Result<T, Error>,
    ) -> PyResult<T> {
        f(&self.service).map_err(|e| errors::to_py_err_in(py, &e))
    }
}

#[pymethods]
impl PyOutreachService {
    #[new]
    #[pyo3(signature = (crm, sender, config, *, store = None))]
    fn new(
        crm: &Bound<'_, PyCrm>,
        sender: &Bound<'_, PyAny>,
        config: &Bound<'_, PyDict>,
        store: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let crm = crm.get();
        let outreach: Arc<dyn OutreachStore> = match store {
            Some(s) => outreach_store(s)?,
            None => crm.outreach_store().ok_or_else(|| {
                invalid(
                    "store",
                    "the crm's store has no outreach methods: pass store=",
                )
            })?,
        };
        let (config, status_callback_base) = read_config(config)?;
        let sender = Arc::new(PySender {
            obj: sender.clone().unbind(),
            status_callback_base,
        });
        let templates = TemplateSet::with_defaults().map_err(errors::to_py_err)?;
        Ok(PyOutreachService {
            service: OutreachService::new(
                crm.crm.clone(),
                outreach,
                sender.clone(),
                sender,
                templates,
                config,
            ),
        })
    }

    /// Approves pending creators for outreach; returns how many moved to `approved`.
    #[pyo3(signature = (handles, *, now = None))]
    fn approve(
        &self,
        py: Python<'_>,
        handles: Vec<String>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<usize> {
        let now = read_now(now)?;
        let hs: Vec<&str> = handles.iter().map(String::as_str).collect();
        self.run(py, |s| s.approve(&hs, now))
    }

    /// Marks pending creators as not to be contacted; returns how many moved.
    #[pyo3(signature = (handles, *, now = None))]
    fn skip(
        &self,
        py: Python<'_>,
        handles: Vec<String>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<usize> {
        let now = read_now(now)?;
        let hs: Vec<&str> = handles.iter().map(String::as_str).collect();
        self.run(py, |s| s.skip(&hs, now))
    }

    /// Plans the campaign for every approved creator and queues what is new:
    /// `{"queued", "already_queued", "messages": [...], "skipped": [...]}`.
    #[pyo3(signature = (*, now = None))]
    fn plan<'py>(
        &self,
        py: Python<'py>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let now = read_now(now)?;
        let o = self.run(py, |s| s.plan(now))?;
        let messages: Vec<Value> = o
            .plan
            .messages
            .iter()
            .map(|m| {
                json!({
                    "id": m.idempotency_key,
                    "creator": m.creator,
                    "channel": m.channel.as_str(),
                    "template": m.template,
                    "not_before": m.not_before,
                })
            })
            .collect();
        let skipped: Vec<Value> = o
            .plan
            .skipped
            .iter()
            .map(|k| {
                json!({
                    "creator": k.creator,
                    "channel": k.channel.as_str(),
                    "reason": k.reason.as_str(),
                })
            })
            .collect();
        data::to_py(
            py,
            &json!({
                "queued": o.queued,
                "already_queued": o.already_queued,
                "messages": messages,
                "skipped": skipped,
            }),
        )
    }

    /// Sends every queued message due at `now`:
    /// `{"sent", "failed", "deferred", "cancelled", "taken"}`.
    #[pyo3(signature = (*, now = None))]
    fn send_due<'py>(
        &self,
        py: Python<'py>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let now = read_now(now)?;
        let SendOutcome {
            sent,
            failed,
            deferred,
            cancelled,
            taken,
        } = self.run(py, |s| s.send_due(now))?;
        data::to_py(
            py,
            &json!({"sent": sent, "failed": failed, "deferred": deferred,
                    "cancelled": cancelled, "taken": taken}),
        )
    }

    /// Turns every `sending` message (cut off by a crash) into `unknown`; run it at
    /// start-up. Returns how many.
    #[pyo3(signature = (*, now = None))]
    fn recover(&self, py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<usize> {
        let now = read_now(now)?;
        self.run(py, |s| s.recover(now))
    }

    /// A person's decision about an `unknown` message: sent, or queued again.
    #[pyo3(signature = (id, sent, *, now = None))]
    fn resolve_unknown(
        &self,
        py: Python<'_>,
        id: &str,
        sent: bool,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let now = read_now(now)?;
        self.run(py, |s| s.resolve_unknown(id, sent, now))
    }

    /// Verifies and applies a Mailgun webhook body once: `"applied"`, `"duplicate"`,
    /// `"unknown_message"`, or None for an event that changes nothing.
    #[pyo3(signature = (signing_key, body, *, now = None, max_age_seconds = 300))]
    fn apply_mailgun_webhook(
        &self,
        py: Python<'_>,
        signing_key: &str,
        body: &[u8],
        now: Option<&Bound<'_, PyAny>>,
        max_age_seconds: i64,
    ) -> PyResult<Option<&'static str>> {
        let now = read_now(now)?;
        let max_age = Duration::seconds(max_age_seconds);
        self.run(py, |s| {
            s.apply_mailgun_webhook(signing_key, body, now, max_age)
        })
        .map(delivery_outcome)
    }

    /// Verifies and applies a Twilio status callback once (its URL, form parameters and
    /// `X-Twilio-Signature`).
    #[pyo3(signature = (auth_token, url, params, signature, *, now = None))]
    fn apply_twilio_status(
        &self,
        py: Python<'_>,
        auth_token: &str,
        url: &str,
        params: Vec<(String, String)>,
        signature: &str,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<&'static str>> {
        let now = read_now(now)?;
        self.run(py, |s| {
            s.apply_twilio_status(auth_token, url, &params, signature, now)
        })
        .map(delivery_outcome)
    }

    /// Handles an inbound SMS: STOP-like wording revokes consent and queues the one
    /// confirmation; START/YES/UNSTOP and HELP/INFO queue their replies.
    /// `{"keyword", "creators", "reply", "duplicate"}`.
    #[pyo3(signature = (from_number, body, message_id, *, now = None))]
    fn inbound_sms<'py>(
        &self,
        py: Python<'py>,
        from_number: &str,
        body: &str,
        message_id: &str,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let now = read_now(now)?;
        let from = from_number
            .parse()
            .map_err(|_| invalid("from_number", "not an E.164 number"))?;
        let o = self.run(py, |s| s.inbound_sms(&from, body, message_id, now))?;
        data::to_py(
            py,
            &json!({
                "keyword": o.keyword.map(|k| k.as_str()),
                "creators": o.creators,
                "reply": o.reply,
                "duplicate": o.duplicate,
            }),
        )
    }

    /// Records SMS consent from the signed link of the welcome email; returns the
    /// creator's handle.
    #[pyo3(signature = (token, *, now = None, ip = None, user_agent = None))]
    fn accept_consent_link(
        &self,
        py: Python<'_>,
        token: &str,
        now: Option<&Bound<'_, PyAny>>,
        ip: Option<&str>,
        user_agent: Option<&str>,
    ) -> PyResult<String> {
        let now = read_now(now)?;
        self.run(py, |s| s.accept_consent_link(token, now, ip, user_agent))
            .map(|h| h.as_str().to_owned())
    }

    /// Records consent given (`"opt_in"`) or revoked (`"opt_out"`) by staff.
    #[pyo3(signature = (handle, channel, action, *, now = None))]
    fn record_consent(
        &self,
        py: Python<'_>,
        handle: &str,
        channel: &Bound<'_, PyAny>,
        action: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let now = read_now(now)?;
        let channel: Channel = data::from_py(channel, "channel")?;
        let action: ConsentAction = data::from_py(action, "action")?;
        self.run(py, |s| s.record_consent(handle, channel, action, now))
    }

    /// A creator's consent ledger, in the order written.
    fn consent<'py>(&self, py: Python<'py>, handle: &str) -> PyResult<Bound<'py, PyAny>> {
        let entries = self.run(py, |s| s.consent(handle))?;
        data::record_to_py(py, &entries)
    }

    /// A creator's outreach history: every message with its status changes and provider
    /// ids, newest first.
    fn history<'py>(&self, py: Python<'py>, handle: &str) -> PyResult<Bound<'py, PyAny>> {
        let entries = self.run(py, |s| s.history(handle))?;
        data::record_to_py(py, &entries)
    }

    /// Erases a creator: the `Crm` erasure, and their outbox and consent entries.
    #[pyo3(signature = (handle, *, now = None))]
    fn erase_creator(
        &self,
        py: Python<'_>,
        handle: &str,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<u64> {
        let now = read_now(now)?;
        self.run(py, |s| s.erase_creator(handle, now))
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.service)
    }
}

/// Adds `OutreachService` to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyOutreachService>()
}
