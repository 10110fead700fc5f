//! The number-plan metadata every phone decision reads: libphonenumber's
//! `PhoneNumberMetadata.xml` of the release in [`metadata_version`], embedded.
//!
//! The `phonenumber` crate's own database carries the metadata of its release
//! (9.0.33 for 0.3.10), months behind libphonenumber, so numbers in new area
//! codes read as invalid. `metadata.xml` is written by
//! `tests/vectors/phone_oracle.py --metadata` from the Python `phonenumbers`
//! package (libphonenumber's metadata, Apache-2.0), the same release that
//! generates the shared vectors, and loaded here with the crate's own loader.
//! The vectors record their release and `metadata_is_not_older_than_the_vectors`
//! (core/tests/it/vectors.rs) fails when this one is older.

use std::sync::LazyLock;

use phonenumber::metadata::Database;

/// libphonenumber's metadata, territories and number patterns (no formatting rules).
const XML: &str = include_str!("metadata.xml");

/// The embedded database, loaded on first use (a few milliseconds).
///
/// The file is generated, checked into the crate and loaded by every phone test,
/// so a load failure is a build defect, not an input-dependent state.
static DATABASE: LazyLock<Database> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    Database::parse(XML).expect("embedded metadata.xml loads (tested by every phone test)")
});

/// The metadata database all of `identity::phone` reads.
pub(super) fn database() -> &'static Database {
    &DATABASE
}

/// The libphonenumber release whose metadata decides which numbers are valid,
/// such as `"9.0.43"`.
///
/// ```
/// let version = creator_crm::identity::phone_metadata_version();
/// assert!(version.split('.').all(|part| part.parse::<u32>().is_ok()), "{version}");
/// ```
pub fn metadata_version() -> &'static str {
    const MARK: &str = "<phoneNumberMetadata version=\"";
    XML.find(MARK)
        .and_then(|at| XML.get(at + MARK.len()..))
        .and_then(|rest| rest.get(..rest.find('"')?))
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_every_calling_code() {
        let db = database();
        for (cc, region) in [(1, "US"), (44, "GB"), (86, "CN"), (972, "IL"), (800, "001")] {
            assert!(
                db.region(&cc).is_some_and(|r| r.contains(&region)),
                "+{cc} {region}"
            );
        }
        assert_eq!(db.region(&1).map(|r| r.len()), Some(25));
    }

    #[test]
    fn version_is_the_generated_release() {
        assert!(
            metadata_version().starts_with("9."),
            "{}",
            metadata_version()
        );
    }
}
