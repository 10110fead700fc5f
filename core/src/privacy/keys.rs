//! Which JSON keys name personal data.
//!
//! Keys are compared in a normalized form: ASCII letters lower-cased, every
//! character that is not a letter or digit dropped — so `realName`,
//! `real_name`, `Real-Name` and `REALNAME` are all `realname`.
//!
//! A normalized key names personal data when it
//!
//! 1. is one of [`DENIED_KEYS`] (exact match), or
//! 2. ends with one of [`DENIED_SUFFIXES`] (`supporterEmail`, `billing_address`,
//!    `tiktok_username`), except the ordinary words in [`SUFFIX_EXCEPTIONS`]
//!    (`microphone`, `allocation`), or
//! 3. starts with one of [`DENIED_PREFIXES`] (`email_verified`, `address_line_1`,
//!    `device_model`, `birth_year`), except `phonetic…`.
//!
//! Decided key by key, on purpose **not** denied: `name` (products, templates
//! and segments have names too — add it with `Policy::deny_key("name")` for
//! payloads where it means a person), `state` (usually a status), `contact`
//! (a container: its `phone` and `email` members go, the rest stays), `ipo`,
//! `shipping_cost`, `zip_file`, `age`, `gender`, `locale`, `language`, `vip`,
//! `tip`, `membership`, `os`, `platform`. String values under every kept key
//! are still searched for emails, phones, IPs and street addresses, so a
//! miss here is caught there. Denied although not obviously personal:
//! `timezone`/`tz` (`America/Chicago` locates a person, and the creator view
//! leaves it out too).

/// Keys that name personal data, normalized.
#[rustfmt::skip]
pub const DENIED_KEYS: &[&str] = &[
    // names
    "realname", "fullname", "firstname", "lastname", "middlename", "surname", "givenname",
    "familyname", "legalname", "maidenname", "fname", "lname", "recipient", "recipientname",
    // contact
    "email", "emails", "mail", "phone", "phones", "phonenumbers", "mobile", "mobilephone", "cell",
    "cellphone", "cellnumber", "telephone", "tel", "fax", "whatsapp", "contactinfo",
    "contactdetails",
    // social handles
    "handle", "handles", "screenname", "social", "socials", "socialhandles", "sociallinks",
    "socialprofiles", "socialaccounts", "tiktok", "instagram", "ig", "twitter", "facebook",
    "snapchat", "telegram", "discord", "youtube", "linkedin", "profileurl",
    // location
    "address", "addresses", "street", "city", "town", "hometown", "homecity", "billingcity",
    "shippingcity", "currentcity", "region", "province", "county", "country", "countrycode",
    "countryname", "zip", "billingzip", "shippingzip", "location", "locations", "geo", "geoip",
    "geohash", "geocode", "lat", "lng", "lon", "long", "coordinates", "coords", "timezone", "tz",
    // network
    "ip", "ipv4", "ipv6", "clientip", "remoteip", "userip", "lastip", "loginip", "lastloginip",
    "sourceip", "srcip", "originip", "xforwardedfor", "forwardedfor", "xrealip", "remoteaddr",
    "macaddr",
    // device
    "device", "devices", "useragent", "idfa", "idfv", "gaid", "adid", "advertisingid", "imei",
    "fingerprint", "pushtoken", "fcmtoken", "apnstoken",
    // identity documents and dates
    "dob", "ssn", "socialsecuritynumber", "taxid", "nationalid", "passport", "passportnumber",
    "driverslicense", "driverlicense",
];

/// Endings that make a normalized key personal data.
#[rustfmt::skip]
pub const DENIED_SUFFIXES: &[&str] = &[
    "email", "phone", "phonenumber", "mobilenumber", "address", "realname", "firstname",
    "lastname", "fullname", "surname", "middlename", "username", "handle", "birthday",
    "birthdate", "dateofbirth", "zipcode", "postalcode", "postcode", "latitude", "longitude",
    "useragent", "deviceid", "ipaddr", "location", "country",
];

/// Ordinary words caught by [`DENIED_SUFFIXES`] that are kept.
#[rustfmt::skip]
pub const SUFFIX_EXCEPTIONS: &[&str] = &[
    "microphone", "headphone", "earphone", "saxophone", "xylophone", "megaphone", "allocation",
    "relocation", "colocation", "dislocation",
];

/// Beginnings that make a normalized key personal data.
pub const DENIED_PREFIXES: &[&str] = &["email", "phone", "address", "device", "birth"];

/// Normalizes `key` into `buf`: letters lower-cased, non-alphanumerics dropped.
pub(crate) fn normalize_into(key: &str, buf: &mut String) {
    buf.clear();
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            buf.push(c.to_ascii_lowercase());
        } else if !c.is_ascii() && c.is_alphanumeric() {
            buf.extend(c.to_lowercase());
        }
    }
}

/// The normalized form of `key` (see the [module docs](self)).
///
/// ```
/// use creator_crm::privacy::normalize_key;
/// assert_eq!(normalize_key("Real-Name"), "realname");
/// assert_eq!(normalize_key("contact.phone_number"), "contactphonenumber");
/// ```
pub fn normalize_key(key: &str) -> String {
    let mut buf = String::with_capacity(key.len());
    normalize_into(key, &mut buf);
    buf
}

#[cfg(test)]
/// True when the *normalized* key `k` names personal data by the default rules.
pub(crate) fn is_denied_by_default(k: &str) -> bool {
    DENIED_KEYS.contains(&k) || is_denied_by_pattern(k)
}

/// True when the *normalized* key `k` names personal data by a suffix or prefix rule.
pub(crate) fn is_denied_by_pattern(k: &str) -> bool {
    if DENIED_SUFFIXES.iter().any(|s| k.ends_with(s)) && !SUFFIX_EXCEPTIONS.contains(&k) {
        return true;
    }
    DENIED_PREFIXES.iter().any(|p| k.starts_with(p)) && !k.starts_with("phonetic")
}

/// True when values under the normalized key `k` are version numbers (IPv4
/// shapes are not redacted there).
pub(crate) fn is_version_key(k: &str) -> bool {
    k.contains("version")
}

/// True when values under the normalized key `k` are identifiers (not
/// searched for phone numbers: ids are digit runs by nature).
pub(crate) fn is_id_key(k: &str) -> bool {
    k.ends_with("id") || k.ends_with("ids") || k.ends_with("sku") || k.ends_with("uuid")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn denied(key: &str) -> bool {
        is_denied_by_default(&normalize_key(key))
    }

    #[test]
    fn every_spelling_of_personal_keys() {
        for k in [
            "realName",
            "real_name",
            "Real-Name",
            "REALNAME",
            "email_address",
            "phoneNumber",
            "ip",
            "ipAddress",
            "device_id",
            "userAgent",
            "lat",
            "lng",
            "address",
            "city",
            "country",
            "first_name",
            "dob",
            "supporterEmail",
            "billing_address",
            "tiktok_username",
            "Date-Of-Birth",
            "address_line_1",
            "zip",
            "ZipCode",
            "X-Forwarded-For",
            "geo",
            "email_verified",
            "last_login_ip",
            "homeLocation",
            "device_model",
            "instagram",
        ] {
            assert!(denied(k), "{k}");
        }
    }

    #[test]
    fn ordinary_keys_are_kept() {
        for k in [
            "ipo",
            "shipping_cost",
            "zip_file",
            "name",
            "state",
            "vip",
            "tip",
            "membership",
            "microphone",
            "allocation",
            "order_id",
            "sku",
            "amount",
            "created_at",
            "display_name",
            "segment",
            "score",
            "phonetic_spelling",
            "city_count_total",
        ] {
            assert!(!denied(k), "{k}");
        }
    }
}
