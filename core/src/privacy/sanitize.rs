//! The deep JSON sanitizer.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    detect::Kinds,
    finding::{Finding, PiiKind},
    keys::{self, normalize_into},
    path::Path,
    policy::{AllowNode, Policy},
};
use crate::error::{Error, Result};

/// Why a value was removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovalKind {
    /// A field whose key names personal data was removed.
    PersonalField,
    /// A field outside the policy's allow-list was removed.
    NotAllowed,
    /// An email address was redacted (in a string value, or a key holding one was removed).
    Email,
    /// A phone number was redacted.
    Phone,
    /// An IP address was redacted.
    Ip,
    /// A street address was redacted.
    Address,
}

impl From<PiiKind> for RemovalKind {
    fn from(kind: PiiKind) -> Self {
        match kind {
            PiiKind::Email => RemovalKind::Email,
            PiiKind::Phone => RemovalKind::Phone,
            PiiKind::Ip => RemovalKind::Ip,
            PiiKind::Address => RemovalKind::Address,
        }
    }
}

impl RemovalKind {
    /// A stable snake_case name (`"personal_field"`, `"email"`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            RemovalKind::PersonalField => "personal_field",
            RemovalKind::NotAllowed => "not_allowed",
            RemovalKind::Email => "email",
            RemovalKind::Phone => "phone",
            RemovalKind::Ip => "ip",
            RemovalKind::Address => "address",
        }
    }
}

/// One removal or redaction: where (a JSONPath such as
/// `$.supporter.contact.phone` or `$.items[2].note`) and why. Never the value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Removal {
    /// JSONPath of the removed field or the redacted string.
    pub path: String,
    /// Why.
    pub kind: RemovalKind,
}

/// A sanitized JSON value and the report of what was removed.
///
/// `Debug` shows the report, not the value: free text the detectors cannot
/// read (a name in a note) may still be in it.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Sanitized {
    /// The value without personal data.
    pub value: Value,
    /// What was removed or redacted, in document order (object keys in
    /// sorted order). A string with two emails is listed twice.
    pub removed: Vec<Removal>,
}

impl std::fmt::Debug for Sanitized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        f.debug_struct("Sanitized")
            .field("value", &format_args!("<{kind}>"))
            .field("removed", &self.removed)
            .finish()
    }
}

/// Removes personal data from a JSON value, at any depth.
///
/// - Object fields whose key names personal data (any spelling: `realName`,
///   `Real-Name`, `contact.phone`, `ipAddress`, … see [`keys`](super::keys))
///   are removed with everything under them.
/// - Emails, phone numbers, IP addresses and street addresses inside string
///   values are replaced with `[email]`, `[phone]`, `[ip]`, `[address]`.
///   Two exceptions, both for what such fields hold by nature: IPv4 shapes are
///   left alone under keys naming a version (`app_version: "1.2.3.4"`), and
///   phone shapes under keys naming an id (`order_id`, `sku`).
/// - An object key that itself holds an email, phone or IP address (a map
///   keyed by email) is removed with its value.
/// - Numbers, booleans and nulls are kept as they are.
///
/// The report lists paths and kinds, never values.
///
/// ```
/// use creator_crm::privacy::{Policy, RemovalKind, sanitize_json};
/// use serde_json::json;
///
/// let doc = json!({
///     "supporter": {"id": "s1", "Real-Name": "Jane Doe", "contact": {"phone": "+14155550134"}},
///     "items": [{"sku": "1729384756201"}, {"note": "mail me: jane@example.com"}],
/// });
/// let out = sanitize_json(doc, &Policy::default());
/// assert_eq!(
///     out.value,
///     json!({"supporter": {"id": "s1", "contact": {}}, "items": [{"sku": "1729384756201"}, {"note": "mail me: [email]"}]})
/// );
/// let report: Vec<(&str, RemovalKind)> =
///     out.removed.iter().map(|r| (r.path.as_str(), r.kind)).collect();
/// assert_eq!(
///     report,
///     [
///         ("$.items[1].note", RemovalKind::Email),
///         ("$.supporter['Real-Name']", RemovalKind::PersonalField),
///         ("$.supporter.contact.phone", RemovalKind::PersonalField),
///     ]
/// );
/// ```
pub fn sanitize_json(value: Value, policy: &Policy) -> Sanitized {
    policy.sanitize(value)
}

/// Sanitized JSON text and the report, from [`sanitize_json_str`].
///
/// `Debug` shows the report and only the length of the text.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SanitizedJson {
    /// The sanitized document as compact JSON text.
    pub json: String,
    /// What was removed or redacted (see [`Sanitized::removed`]).
    pub removed: Vec<Removal>,
}

impl std::fmt::Debug for SanitizedJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SanitizedJson")
            .field("json", &format_args!("<{} bytes>", self.json.len()))
            .field("removed", &self.removed)
            .finish()
    }
}

/// [`sanitize_json`] on JSON text (for hosts that hold documents as strings).
///
/// ```
/// use creator_crm::privacy::{Policy, sanitize_json_str};
///
/// let out = sanitize_json_str(r#"{"ipAddress": "10.0.0.1", "n": 1}"#, &Policy::default())?;
/// assert_eq!(out.json, r#"{"n":1}"#);
/// assert_eq!(out.removed[0].path, "$.ipAddress");
/// # Ok::<(), creator_crm::Error>(())
/// ```
///
/// # Errors
/// `InvalidInput` on field `json` when the text is not JSON (the error names
/// the line, never the content).
pub fn sanitize_json_str(json: &str, policy: &Policy) -> Result<SanitizedJson> {
    let value: Value = serde_json::from_str(json).map_err(|e| {
        Error::invalid("json", "not valid json").with_line(u64::try_from(e.line()).unwrap_or(0))
    })?;
    let out = policy.sanitize(value);
    let json = serde_json::to_string(&out.value)
        .map_err(|_| Error::invalid("json", "could not be written"))?;
    Ok(SanitizedJson {
        json,
        removed: out.removed,
    })
}

impl Policy {
    /// [`sanitize_json`] with this policy.
    pub fn sanitize(&self, mut value: Value) -> Sanitized {
        let mut walker = Walker {
            policy: self,
            removed: Vec::new(),
            key_buf: String::new(),
            found: Vec::new(),
        };
        let allow = match &self.allow {
            Some(node) if !node.all => Allow::Only(node),
            _ => Allow::All,
        };
        walker.value(&mut value, &Path::ROOT, allow, Kinds::ALL);
        Sanitized {
            value,
            removed: walker.removed,
        }
    }
}

#[derive(Clone, Copy)]
enum Allow<'p> {
    All,
    Only(&'p AllowNode),
}

struct Walker<'p> {
    policy: &'p Policy,
    removed: Vec<Removal>,
    key_buf: String,
    found: Vec<Finding>,
}

impl Walker<'_> {
    fn value(&mut self, value: &mut Value, path: &Path<'_>, allow: Allow<'_>, kinds: Kinds) {
        match value {
            Value::Object(map) => self.object(map, path, allow),
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.value(item, &path.index(i), allow, kinds);
                }
            }
            Value::String(s) => self.string(s, path, kinds),
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    fn string(&mut self, s: &mut String, path: &Path<'_>, kinds: Kinds) {
        let detector = self.policy.detector;
        let kinds = Kinds {
            email: kinds.email && detector.kinds().email,
            phone: kinds.phone && detector.kinds().phone,
            ip: kinds.ip && detector.kinds().ip,
            address: kinds.address && detector.kinds().address,
        };
        if detector.redact_in_place(s, kinds, &mut self.found) {
            let rendered = path.render();
            for f in &self.found {
                self.removed.push(Removal {
                    path: rendered.clone(),
                    kind: f.kind.into(),
                });
            }
        }
    }

    fn object(&mut self, map: &mut Map<String, Value>, path: &Path<'_>, allow: Allow<'_>) {
        map.retain(|key, value| {
            normalize_into(key, &mut self.key_buf);
            if self.policy.is_personal_normalized(&self.key_buf) {
                self.removed.push(Removal {
                    path: path.key(key).render(),
                    kind: RemovalKind::PersonalField,
                });
                return false;
            }
            if let Some(kind) = self.key_pii(key) {
                let redacted = self.policy.detector.redact(key).text;
                self.removed.push(Removal {
                    path: path.key(&redacted).render(),
                    kind: kind.into(),
                });
                return false;
            }
            let child_allow = match allow {
                Allow::All => Allow::All,
                Allow::Only(node) => match node.child(&self.key_buf) {
                    Some(child) if child.all => Allow::All,
                    Some(child) if value.is_object() || value.is_array() => Allow::Only(child),
                    _ => {
                        self.removed.push(Removal {
                            path: path.key(key).render(),
                            kind: RemovalKind::NotAllowed,
                        });
                        return false;
                    }
                },
            };
            let mut kinds = Kinds::ALL;
            if keys::is_version_key(&self.key_buf) {
                kinds = kinds.without_ip();
            }
            if keys::is_id_key(&self.key_buf) {
                kinds.phone = false;
            }
            self.value(value, &path.key(key), child_allow, kinds);
            true
        });
    }

    /// The kind of personal data an object key holds, if any.
    fn key_pii(&mut self, key: &str) -> Option<PiiKind> {
        if !key
            .bytes()
            .any(|b| b == b'@' || b == b':' || b.is_ascii_digit())
        {
            return None;
        }
        let kinds = Kinds {
            address: false,
            ..self.policy.detector.kinds()
        };
        self.policy.detector.find_into(key, kinds, &mut self.found);
        self.found.first().map(|f| f.kind)
    }
}
