//! What the JSON sanitizer removes and keeps: [`Policy`].

use ahash::{AHashMap, AHashSet};

use super::{
    detect::Detector,
    keys::{self, normalize_key},
};

/// What [`sanitize_json`](super::sanitize_json) removes and keeps.
///
/// The default policy removes every key named by the rules in
/// [`keys`](super::keys) and redacts emails, phones, IP addresses and street
/// addresses inside every string value. It can be
///
/// - **extended**: [`Policy::deny_key`] adds a key (any spelling);
/// - **relaxed**: [`Policy::keep_key`] exempts a key from the deny rules;
/// - **narrowed** to an allow-list: [`Policy::allow_only`] keeps only the
///   named fields and paths. Inside allowed fields the deny rules and value
///   redaction still apply: an allow-list never lets personal data through.
///
/// Build a policy once and reuse it: it holds hash sets.
///
/// ```
/// use creator_crm::privacy::{Policy, sanitize_json};
/// use serde_json::json;
///
/// let policy = Policy::new().deny_key("nickname").allow_only(["id", "nickname", "stats.*"]);
/// let out = sanitize_json(
///     json!({"id": 7, "nickname": "jj", "note": "hi", "stats": {"gifts": 3, "email": "a@b.co"}}),
///     &policy,
/// );
/// assert_eq!(out.value, json!({"id": 7, "stats": {"gifts": 3}}));
/// ```
#[derive(Debug, Clone)]
pub struct Policy {
    pub(super) detector: Detector,
    denied: AHashSet<Box<str>>,
    kept: AHashSet<Box<str>>,
    pub(super) allow: Option<AllowNode>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            detector: Detector::default(),
            denied: keys::DENIED_KEYS.iter().map(|&k| Box::from(k)).collect(),
            kept: AHashSet::new(),
            allow: None,
        }
    }
}

impl Policy {
    /// The default policy (see the type docs).
    pub fn new() -> Self {
        Policy::default()
    }

    /// Also removes `key`, in any spelling (`"nickName"` also removes `nick_name`).
    #[must_use]
    pub fn deny_key(mut self, key: &str) -> Self {
        let k = normalize_key(key);
        self.kept.remove(k.as_str());
        self.denied.insert(k.into());
        self
    }

    /// Keeps `key` (any spelling) even though a deny rule names it. Its
    /// string values are still redacted.
    #[must_use]
    pub fn keep_key(mut self, key: &str) -> Self {
        let k = normalize_key(key);
        self.denied.remove(k.as_str());
        self.kept.insert(k.into());
        self
    }

    /// Keeps only the fields on `paths`; everything else is removed and
    /// reported as not allowed.
    ///
    /// A path is a dot-separated list of keys from the root, optionally
    /// starting with `$.`; `*` stands for any key; array indexes are not
    /// written (`items.sku` keeps the `sku` of every element of `items`;
    /// `items[*].sku` and `items[].sku` are accepted too). Keys are compared
    /// normalized, like the deny rules. Allowing a path keeps everything under it.
    /// An exact key wins over `*` at the same level.
    #[must_use]
    pub fn allow_only<I, S>(mut self, paths: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let root = self.allow.get_or_insert_with(AllowNode::default);
        for path in paths {
            let path = path.as_ref().trim();
            let path = path.strip_prefix('$').unwrap_or(path);
            let mut node = &mut *root;
            for seg in path.split('.').filter(|s| !s.is_empty()) {
                let seg = strip_index(seg);
                let key = if seg == "*" {
                    "*".to_owned()
                } else {
                    normalize_key(seg)
                };
                node = node.children.entry(key.into()).or_default();
            }
            node.all = true;
        }
        self
    }

    /// Reads phone numbers without a country code with this detector's
    /// region, and looks only for its kinds.
    #[must_use]
    pub fn with_detector(mut self, detector: Detector) -> Self {
        self.detector = detector;
        self
    }

    /// The detector used on string values.
    pub fn detector(&self) -> &Detector {
        &self.detector
    }

    /// True when this policy removes `key` (any spelling) wherever it appears.
    ///
    /// ```
    /// use creator_crm::privacy::Policy;
    /// let p = Policy::new();
    /// assert!(p.is_personal_key("Real-Name"));
    /// assert!(!p.is_personal_key("shipping_cost"));
    /// ```
    pub fn is_personal_key(&self, key: &str) -> bool {
        self.is_personal_normalized(&normalize_key(key))
    }

    pub(super) fn is_personal_normalized(&self, k: &str) -> bool {
        if !self.kept.is_empty() && self.kept.contains(k) {
            return false;
        }
        self.denied.contains(k) || keys::is_denied_by_pattern(k)
    }
}

/// `items[*]`, `items[]`, `items[3]` → `items`.
fn strip_index(seg: &str) -> &str {
    match seg.find('[') {
        Some(i) if seg.ends_with(']') => seg.get(..i).unwrap_or(seg),
        _ => seg,
    }
}

/// One level of an allow-list: the allowed keys below it.
#[derive(Debug, Clone, Default)]
pub(super) struct AllowNode {
    /// Everything below this node is allowed.
    pub(super) all: bool,
    children: AHashMap<Box<str>, AllowNode>,
}

impl AllowNode {
    /// The node for the normalized key `k`: exact first, then `*`.
    pub(super) fn child(&self, k: &str) -> Option<&AllowNode> {
        self.children.get(k).or_else(|| self.children.get("*"))
    }
}
