//! Creator identity: the values that say who a creator is, normalized.
//!
//! - [`Handle`]: the TikTok username, the creator's key.
//! - [`Phone`]: a full [`E164`] number or a [`MaskedPhone`] (evidence, never a key).
//! - [`Email`]: normalized, syntax-checked; placeholders are recognised.
//! - [`repair_text`]: mojibake repair for names and addresses.
//! - [`PersonName`], [`PostalAddress`], [`Zip`], [`us_state_code`].
//!
//! Types holding personal data implement neither `Display` nor a revealing
//! `Debug`: their `Debug` prints `<redacted>`. Read the value with `as_str()`.

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
pub use phone::{
    DEFAULT_CACHE_CAPACITY, E164, MaskedPhone, Phone, PhoneKind, PhoneParser, Region, parse_phones,
};
pub use text::{collapse_whitespace, repair_text};
