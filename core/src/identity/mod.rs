//! Creator identity: the values that say who a creator is, normalized.
//!
//! - [`Handle`]: the TikTok username, the creator's key (`@Name`, profile URLs).
//! - [`Phone`]: a full [`E164`] number or a [`MaskedPhone`] (evidence, never a
//!   key), read in a default [`Region`]; [`PhoneParser`] / [`parse_phones`]
//!   cache results for batches.
//! - [`Email`]: normalized, syntax-checked; placeholders are recognised and
//!   team inboxes flagged ([`Email::is_role_inbox`]).
//! - [`repair_text`]: mojibake repair for names and addresses;
//!   [`collapse_whitespace`].
//! - [`PersonName`], [`PostalAddress`], [`Zip`], [`us_state_code`].
//!
//! Every parser is a pure function of its input: invalid values are
//! [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) errors naming the
//! field (`handle`, `phone`, `email`, `zipcode`, `region`) with a short reason,
//! never the value. The shared vectors in `tests/vectors/identity.json` pin the
//! behaviour for every binding.
//!
//! Types holding personal data implement neither `Display` nor a revealing
//! `Debug`: their `Debug` prints `<redacted>`. Read the value with `as_str()`
//! or the public fields. A [`Handle`] is public and prints as itself.
//!
//! ```
//! use creator_crm::identity::{Email, Handle, Phone, Region, repair_text};
//!
//! let handle = Handle::parse("https://www.tiktok.com/@Maria.Cruz?lang=en")?;
//! let phone = Phone::parse("(+1)832*****59", Region::US)?;
//! let email = Email::parse(" Maria@Example.ORG.mx ")?;
//! assert_eq!(handle.as_str(), "maria.cruz");
//! assert!(phone.e164().is_none() && phone.masked().is_some());
//! assert_eq!(email.map(|e| e.domain().to_owned()).as_deref(), Some("example.org.mx"));
//! assert_eq!(repair_text("JosÃ© MartÃ\u{AD}nez"), "José Martínez");
//! # Ok::<(), creator_crm::Error>(())
//! ```

mod address;
mod email;
mod handle;
mod name;
mod phone;
mod text;

pub use address::{PostalAddress, Zip, us_state_code};
pub use email::{Email, normalize_email};
pub use handle::{HANDLE_MAX_LEN, HANDLE_MIN_LEN, Handle, normalize_handle};
pub use name::PersonName;
pub(crate) use phone::{CellKey, PhoneKeys};
pub use phone::{
    DEFAULT_CACHE_CAPACITY, E164, MaskedPhone, Phone, PhoneKind, PhoneParser, Region,
    metadata_version as phone_metadata_version, nanp_national, parse_phones,
};
pub(crate) use text::{clean_text, trim};
pub use text::{collapse_whitespace, repair_text};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Every personal value planted below must be absent from every `Debug` output.
    #[test]
    fn debug_never_prints_personal_data() {
        let full = Phone::parse("+1 832 555 0159 x77", Region::US).unwrap();
        let masked = Phone::parse("(+1)832*****59", Region::US).unwrap();
        let email = Email::parse("maria.secret@gmail.com").unwrap().unwrap();
        let name = PersonName::from_full("Maria Secretname").unwrap();
        let address = PostalAddress::parse_one_line("742 Evergreen Terrace, Springfield, OR 97403");
        let zip = Zip::parse("97403").unwrap();
        let outputs = [
            format!("{full:?}"),
            format!("{:?}", full.e164().unwrap()),
            format!("{masked:?}"),
            format!("{:?}", masked.masked().unwrap()),
            format!("{email:?}"),
            format!("{name:?}"),
            format!("{address:?}"),
            format!("{zip:?}"),
            format!("{:#?}", (&full, &masked, &email, &name, &address, &zip)),
        ];
        let planted = [
            "832",
            "555",
            "0159",
            "77",
            "maria",
            "secret",
            "gmail",
            "Secretname",
            "742",
            "Evergreen",
            "Springfield",
            "OR",
            "97403",
        ];
        for out in &outputs {
            assert!(out.contains("<redacted>"), "{out}");
            for value in planted {
                assert!(!out.contains(value), "{value:?} leaked in {out}");
            }
        }
    }

    #[test]
    fn handle_debug_shows_the_public_handle() {
        let h = Handle::parse("@Maria").unwrap();
        assert_eq!(format!("{h:?}"), "Handle(\"maria\")");
    }
}
