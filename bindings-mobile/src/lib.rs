//! Kotlin and Swift bindings of creator-crm (uniffi, proc-macros, library mode).
//!
//! Mainly small Rust wrappers: records with `From` impls from the core types,
//! and one file per core module (`identity.rs`, ...). `errors.rs` is the one
//! place where core errors become the typed [`CrmError`] enum. A panic reaches
//! Kotlin / Swift as uniffi's internal error, never as an abort
//! (`panic = "unwind"`).
//!
//! Generate the sources with the `uniffi-bindgen` binary of this crate
//! (feature `cli`), see the repository README.

uniffi::setup_scaffolding!();

mod errors;
mod identity;
mod merge;

pub use errors::{CrmError, ErrorInfo};
pub use identity::{
    Phone, PhoneKind, PhoneResult, StringResult, normalize_email, normalize_emails,
    normalize_handle, normalize_handles, parse_phone, parse_phones, repair_text, repair_texts,
};
pub use merge::{Cell, MergeOutcome, MergeSummary, MergedCreator, SourceRows, merge_rows};
