//! Provider webhooks: signature checks (constant time), freshness, and the
//! payloads read as typed delivery events.
//!
//! - Mailgun signs `timestamp + token` with HMAC-SHA256 under the webhook
//!   signing key, hex-encoded ([`verify_mailgun_signature`]).
//! - Twilio signs the full URL followed by every POST parameter, sorted by
//!   name, as `name + value`, with HMAC-SHA1 under the auth token,
//!   base64-encoded ([`verify_twilio_signature`]). A JSON body is not signed
//!   directly: the URL carries `bodySHA256` (hex SHA-256 of the body) and the
//!   signature covers that URL alone ([`verify_twilio_body_signature`]). As
//!   Twilio's own validators do, a URL is accepted with its port removed or
//!   with the scheme's default port added, since proxies differ on which one
//!   the application sees.
//!
//! Signature checks answer only whether the signature is right. Freshness is
//! [`check_freshness`] (with `now` as a parameter); replay protection is the
//! caller's, keyed by [`DeliveryEvent::event_id`] (and Mailgun's token).

use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::{Error, ErrorKind, Result};

/// Whether `signature` (hex) is Mailgun's HMAC-SHA256 of `timestamp + token`
/// under `signing_key`. Compared in constant time.
///
/// ```
/// use creator_crm::outreach::verify_mailgun_signature;
///
/// let ok = verify_mailgun_signature(
///     "key-7f3a5c9d1e2b4f60",
///     "1767225600",
///     "b7f1c2d3e4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2b1c",
///     "b1f5bbb769c91f2b7abfc18df0f8752e94aa0aa42a232f2df9bc9cce93e6aae6",
/// );
/// assert!(ok);
/// ```
pub fn verify_mailgun_signature(
    signing_key: &str,
    timestamp: &str,
    token: &str,
    signature: &str,
) -> bool {
    let Ok(given) = hex::decode(signature.trim()) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(signing_key.as_bytes()) else {
        return false;
    };
    mac.update(timestamp.as_bytes());
    mac.update(token.as_bytes());
    let expected = mac.finalize().into_bytes();
    given.len() == expected.len() && bool::from(expected.as_slice().ct_eq(&given))
}

/// Twilio's signature of `url` and `params`: base64 HMAC-SHA1 of the URL
/// followed by each parameter's name and value, sorted by name then value.
pub fn twilio_signature<K: AsRef<str>, V: AsRef<str>>(
    auth_token: &str,
    url: &str,
    params: &[(K, V)],
) -> String {
    let mut pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    // HMAC accepts keys of any length.
    let mut mac = match Hmac::<Sha1>::new_from_slice(auth_token.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(url.as_bytes());
    for (k, v) in pairs {
        mac.update(k.as_bytes());
        mac.update(v.as_bytes());
    }
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// `url` split around its port: `(before the port, port, after the port)`.
fn split_port(url: &str) -> Option<(&str, Option<&str>, &str)> {
    let scheme_end = url.find("://")? + 3;
    let rest = &url[scheme_end..];
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_len];
    let host_start = authority.rfind('@').map_or(0, |i| i + 1);
    let host = &authority[host_start..];
    // The last ':' after any IPv6 bracket starts the port.
    let port_colon = host
        .rfind(':')
        .filter(|&i| !host[i..].contains(']'))
        .map(|i| scheme_end + host_start + i);
    Some(match port_colon {
        Some(i) => (
            &url[..i],
            Some(&url[i + 1..scheme_end + authority_len]),
            &url[scheme_end + authority_len..],
        ),
        None => (
            &url[..scheme_end + authority_len],
            None,
            &url[scheme_end + authority_len..],
        ),
    })
}

/// The URL forms Twilio's validators accept: with the port removed, and with
/// the scheme's default port added when it has none.
fn url_variants(url: &str) -> Vec<String> {
    let mut out = vec![url.to_owned()];
    if let Some((head, port, tail)) = split_port(url) {
        match port {
            Some(_) => out.push(format!("{head}{tail}")),
            None => {
                let https = url
                    .get(..8)
                    .is_some_and(|s| s.eq_ignore_ascii_case("https://"));
                let default = if https { "443" } else { "80" };
                out.push(format!("{head}:{default}{tail}"));
            }
        }
    }
    out
}

fn ct_str_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Whether `signature` (the `X-Twilio-Signature` header) signs `url` and the
/// form `params` under `auth_token`, the URL taken with or without its port.
/// Compared in constant time.
///
/// ```
/// use creator_crm::outreach::verify_twilio_signature;
///
/// // Twilio's published example.
/// let params = [
///     ("CallSid", "CA1234567890ABCDE"),
///     ("Caller", "+14158675309"),
///     ("Digits", "1234"),
///     ("From", "+14158675309"),
///     ("To", "+18005551212"),
/// ];
/// let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
/// assert!(verify_twilio_signature("12345", url, &params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
/// assert!(!verify_twilio_signature("12345", url, &params[1..], "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
/// ```
pub fn verify_twilio_signature<K: AsRef<str>, V: AsRef<str>>(
    auth_token: &str,
    url: &str,
    params: &[(K, V)],
    signature: &str,
) -> bool {
    // Every variant is computed and compared, so the time does not depend on which matched.
    url_variants(url).iter().fold(false, |ok, u| {
        ct_str_eq(&twilio_signature(auth_token, u, params), signature.trim()) | ok
    })
}

/// The first value of query parameter `name` in `url`, percent-decoded.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(k) == name).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                match s
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a Twilio request with a JSON `body` is genuine: `url` carries
/// `bodySHA256`, the hex SHA-256 of the raw body, and `signature` signs that
/// URL with no parameters. Both checks run in constant time.
pub fn verify_twilio_body_signature(
    auth_token: &str,
    url: &str,
    body: &[u8],
    signature: &str,
) -> bool {
    let Some(given_hash) = query_param(url, "bodySHA256") else {
        return false;
    };
    let hash = hex::encode(Sha256::digest(body));
    let body_ok = ct_str_eq(&hash, &given_hash.to_ascii_lowercase());
    let no_params: [(&str, &str); 0] = [];
    let sig_ok = verify_twilio_signature(auth_token, url, &no_params, signature);
    body_ok & sig_ok
}

/// Checks that a webhook's `timestamp` (Unix seconds) is within `max_age` of
/// `now`, in either direction: an older one is stale (possibly replayed), a
/// newer one is from a skewed or forged clock.
pub fn check_freshness(timestamp: i64, now: DateTime<Utc>, max_age: Duration) -> Result<()> {
    let Some(sent) = DateTime::from_timestamp(timestamp, 0) else {
        return Err(
            Error::new(ErrorKind::Webhook, "timestamp out of range").with_field("timestamp")
        );
    };
    if now - sent > max_age {
        return Err(Error::new(ErrorKind::Webhook, "stale timestamp").with_field("timestamp"));
    }
    if sent - now > max_age {
        return Err(
            Error::new(ErrorKind::Webhook, "timestamp in the future").with_field("timestamp")
        );
    }
    Ok(())
}

/// Which provider an event came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// Mailgun (email).
    Mailgun,
    /// Twilio (SMS).
    Twilio,
}

impl Provider {
    /// `"mailgun"` or `"twilio"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Provider::Mailgun => "mailgun",
            Provider::Twilio => "twilio",
        }
    }
}

/// What happened to a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeliveryEventKind {
    /// The recipient's server or carrier accepted it.
    Delivered,
    /// Delivery failed, possibly for now (a retry may succeed).
    Failed,
    /// Delivery failed for good: the address or number cannot receive it.
    Bounced,
    /// The recipient opened (or read) it.
    Opened,
    /// The recipient clicked a link in it.
    Clicked,
    /// The recipient marked it as spam: no more email on this channel.
    Complained,
    /// The recipient unsubscribed: no more messages on this channel.
    Unsubscribed,
}

impl DeliveryEventKind {
    /// `"delivered"`, `"failed"`, `"bounced"`, `"opened"`, `"clicked"`,
    /// `"complained"` or `"unsubscribed"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            DeliveryEventKind::Delivered => "delivered",
            DeliveryEventKind::Failed => "failed",
            DeliveryEventKind::Bounced => "bounced",
            DeliveryEventKind::Opened => "opened",
            DeliveryEventKind::Clicked => "clicked",
            DeliveryEventKind::Complained => "complained",
            DeliveryEventKind::Unsubscribed => "unsubscribed",
        }
    }

    /// Whether the event stops every later send on its channel.
    pub const fn stops_channel(self) -> bool {
        matches!(
            self,
            DeliveryEventKind::Complained | DeliveryEventKind::Unsubscribed
        )
    }
}

/// A provider's report about one message, with no personal data: no
/// recipient, no body, only ids and codes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeliveryEvent {
    /// Where it came from.
    pub provider: Provider,
    /// A key unique to this event, to apply it once (Mailgun's event id;
    /// Twilio's message sid and status).
    pub event_id: String,
    /// The outbox row the message belongs to, when the message carried it.
    pub outbox_id: Option<String>,
    /// The provider's message id (Mailgun `Message-Id`, Twilio `MessageSid`).
    pub provider_message_id: Option<String>,
    /// What happened.
    pub kind: DeliveryEventKind,
    /// When it happened, per the provider (Mailgun only).
    pub occurred_at: Option<DateTime<Utc>>,
    /// The provider's error or status code, for failures.
    pub code: Option<String>,
}

/// Mailgun's signature block of a webhook.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MailgunSignature {
    /// Unix seconds, as sent.
    pub timestamp: String,
    /// A random token, unique per webhook (a replay repeats it).
    pub token: String,
    /// Hex HMAC-SHA256 of timestamp + token.
    pub signature: String,
}

/// A Mailgun webhook body: its signature and the event, if it is one that
/// changes a message's delivery state (`accepted` and `stored` are not).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MailgunWebhook {
    /// The signature block.
    pub signature: MailgunSignature,
    /// The delivery event.
    pub event: Option<DeliveryEvent>,
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

fn webhook_err(field: &'static str, reason: &'static str) -> Error {
    Error::new(ErrorKind::Webhook, reason).with_field(field)
}

/// Reads a Mailgun webhook body (JSON with `signature` and `event-data`).
pub fn parse_mailgun_webhook(body: &[u8]) -> Result<MailgunWebhook> {
    let v: Value =
        serde_json::from_slice(body).map_err(|_| webhook_err("body", "not a json object"))?;
    let sig = |k: &'static str| -> Result<String> {
        match v.get("signature").and_then(|s| s.get(k)) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(Value::Number(n)) => Ok(n.to_string()),
            _ => Err(webhook_err(k, "missing")),
        }
    };
    let signature = MailgunSignature {
        timestamp: sig("timestamp")?,
        token: sig("token")?,
        signature: sig("signature")?,
    };
    let data = v
        .get("event-data")
        .ok_or_else(|| webhook_err("event-data", "missing"))?;
    let name = str_at(data, &["event"]).ok_or_else(|| webhook_err("event", "missing"))?;
    let severity = str_at(data, &["severity"]);
    let kind = match (name, severity) {
        ("delivered", _) => Some(DeliveryEventKind::Delivered),
        ("failed", Some("permanent")) => Some(DeliveryEventKind::Bounced),
        ("failed" | "rejected", _) => Some(DeliveryEventKind::Failed),
        ("opened", _) => Some(DeliveryEventKind::Opened),
        ("clicked", _) => Some(DeliveryEventKind::Clicked),
        ("complained", _) => Some(DeliveryEventKind::Complained),
        ("unsubscribed", _) => Some(DeliveryEventKind::Unsubscribed),
        _ => None,
    };
    let event = match kind {
        None => None,
        Some(kind) => {
            let event_id = str_at(data, &["id"])
                .ok_or_else(|| webhook_err("id", "missing"))?
                .to_owned();
            let occurred_at = data
                .get("timestamp")
                .and_then(Value::as_f64)
                .and_then(|t| DateTime::from_timestamp_millis((t * 1000.0).round() as i64));
            let code = data
                .get("delivery-status")
                .and_then(|d| d.get("code"))
                .and_then(|c| match c {
                    Value::Number(n) => Some(n.to_string()),
                    Value::String(s) if !s.is_empty() => Some(s.clone()),
                    _ => None,
                })
                .filter(|_| matches!(kind, DeliveryEventKind::Failed | DeliveryEventKind::Bounced));
            Some(DeliveryEvent {
                provider: Provider::Mailgun,
                event_id,
                outbox_id: str_at(data, &["user-variables", "outbox_id"]).map(str::to_owned),
                provider_message_id: str_at(data, &["message", "headers", "message-id"])
                    .map(str::to_owned),
                kind,
                occurred_at,
                code,
            })
        }
    };
    Ok(MailgunWebhook { signature, event })
}

/// Parses, verifies and freshness-checks a Mailgun webhook body in one call:
/// a bad signature or a timestamp more than `max_age` from `now` is an
/// [`ErrorKind::Webhook`] error. Replays (a repeated token or event id) are
/// for the caller to refuse.
pub fn verify_mailgun_webhook(
    signing_key: &str,
    body: &[u8],
    now: DateTime<Utc>,
    max_age: Duration,
) -> Result<MailgunWebhook> {
    let hook = parse_mailgun_webhook(body)?;
    let s = &hook.signature;
    if !verify_mailgun_signature(signing_key, &s.timestamp, &s.token, &s.signature) {
        return Err(webhook_err("signature", "bad signature"));
    }
    let ts: i64 = s
        .timestamp
        .parse()
        .map_err(|_| webhook_err("timestamp", "not a number"))?;
    check_freshness(ts, now, max_age)?;
    Ok(hook)
}

/// Twilio error codes that mean the number cannot receive messages at all.
const TWILIO_PERMANENT: &[&str] = &["21211", "21612", "21614", "30005", "30006"];

/// Reads a Twilio status callback: the callback `url` (carrying `outbox_id`,
/// see [`OutboundSms::status_callback_url`](crate::messaging::OutboundSms::status_callback_url))
/// and its form `params`. `None` for statuses that are not outcomes
/// (`queued`, `accepted`, `sending`, `sent`, …).
pub fn parse_twilio_status<K: AsRef<str>, V: AsRef<str>>(
    url: &str,
    params: &[(K, V)],
) -> Result<Option<DeliveryEvent>> {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k.as_ref() == name)
            .map(|(_, v)| v.as_ref())
            .filter(|v| !v.is_empty())
    };
    let sid = get("MessageSid")
        .or_else(|| get("SmsSid"))
        .ok_or_else(|| webhook_err("MessageSid", "missing"))?;
    let status = get("MessageStatus")
        .or_else(|| get("SmsStatus"))
        .ok_or_else(|| webhook_err("MessageStatus", "missing"))?;
    let code = get("ErrorCode").map(str::to_owned);
    let kind = match status {
        "delivered" => DeliveryEventKind::Delivered,
        "read" => DeliveryEventKind::Opened,
        "undelivered" | "failed" => match &code {
            Some(c) if TWILIO_PERMANENT.contains(&c.as_str()) => DeliveryEventKind::Bounced,
            _ => DeliveryEventKind::Failed,
        },
        _ => return Ok(None),
    };
    Ok(Some(DeliveryEvent {
        provider: Provider::Twilio,
        event_id: format!("{sid}:{status}"),
        outbox_id: query_param(url, "outbox_id"),
        provider_message_id: Some(sid.to_owned()),
        kind,
        occurred_at: None,
        code: code
            .filter(|_| matches!(kind, DeliveryEventKind::Failed | DeliveryEventKind::Bounced)),
    }))
}
