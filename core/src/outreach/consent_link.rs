//! The signed link that records SMS consent from the welcome email.
//!
//! A token is `payload.mac`, both base64url without padding: the payload
//! holds the workspace, the creator, the version of the consent text shown
//! and the expiry; the MAC is HMAC-SHA256 over the payload under the host's
//! secret key. Verifying checks the MAC in constant time, then the expiry
//! against `now`.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::{Error, ErrorKind, Result};

/// What a consent link vouches for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConsentClaim {
    /// The workspace (brand) the consent is given to.
    pub workspace: String,
    /// The creator giving it (the creator's id or handle).
    pub creator: String,
    /// The version of the consent text the creator was shown.
    pub text_version: String,
    /// The link stops working at this instant.
    pub expires_at: DateTime<Utc>,
}

const VERSION: &str = "c1";

fn mac(key: &[u8], payload: &[u8]) -> Result<Hmac<Sha256>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key)
        .map_err(|_| Error::new(ErrorKind::Consent, "bad key").with_field("key"))?;
    mac.update(payload);
    Ok(mac)
}

fn token_err(reason: &'static str) -> Error {
    Error::new(ErrorKind::Consent, reason).with_field("token")
}

/// The token for `claim` under `key` (at least 16 bytes). Fields may not contain NUL.
///
/// ```
/// use chrono::{Duration, TimeZone, Utc};
/// use creator_crm::outreach::{ConsentClaim, sign_consent_token, verify_consent_token};
///
/// let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
/// let claim = ConsentClaim {
///     workspace: "acme".into(),
///     creator: "cr_42".into(),
///     text_version: "sms-2026-01".into(),
///     expires_at: now + Duration::days(14),
/// };
/// let key = b"a-secret-key-of-32-bytes-or-more";
/// let token = sign_consent_token(key, &claim).unwrap();
/// assert_eq!(verify_consent_token(key, &token, now).unwrap(), claim);
/// ```
pub fn sign_consent_token(key: &[u8], claim: &ConsentClaim) -> Result<String> {
    if key.len() < 16 {
        return Err(Error::new(ErrorKind::Consent, "key shorter than 16 bytes").with_field("key"));
    }
    for (field, value) in [
        ("workspace", &claim.workspace),
        ("creator", &claim.creator),
        ("text_version", &claim.text_version),
    ] {
        if value.contains('\0') {
            return Err(Error::invalid(field, "contains nul"));
        }
    }
    let payload = format!(
        "{VERSION}\0{}\0{}\0{}\0{}",
        claim.workspace,
        claim.creator,
        claim.text_version,
        claim.expires_at.timestamp()
    );
    let tag = mac(key, payload.as_bytes())?.finalize().into_bytes();
    Ok(format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(payload),
        URL_SAFE_NO_PAD.encode(tag)
    ))
}

/// The claim of a token signed under `key`, if its MAC is right and it has
/// not expired at `now`. Errors are [`ErrorKind::Consent`] about the `token`:
/// malformed, bad signature, or expired.
pub fn verify_consent_token(key: &[u8], token: &str, now: DateTime<Utc>) -> Result<ConsentClaim> {
    let (payload_b64, tag_b64) = token
        .split_once('.')
        .ok_or_else(|| token_err("malformed"))?;
    let payload = URL_SAFE_NO_PAD
        .decode(payload_b64)
        .map_err(|_| token_err("malformed"))?;
    let tag = URL_SAFE_NO_PAD
        .decode(tag_b64)
        .map_err(|_| token_err("malformed"))?;
    // `verify_slice` compares in constant time.
    mac(key, &payload)?
        .verify_slice(&tag)
        .map_err(|_| token_err("bad signature"))?;
    let text = String::from_utf8(payload).map_err(|_| token_err("malformed"))?;
    let parts: Vec<&str> = text.split('\0').collect();
    let [VERSION, workspace, creator, text_version, expiry] = parts.as_slice() else {
        return Err(token_err("malformed"));
    };
    let expires_at = expiry
        .parse::<i64>()
        .ok()
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .ok_or_else(|| token_err("malformed"))?;
    if now >= expires_at {
        return Err(token_err("expired"));
    }
    Ok(ConsentClaim {
        workspace: (*workspace).to_owned(),
        creator: (*creator).to_owned(),
        text_version: (*text_version).to_owned(),
        expires_at,
    })
}
