//! What a host adds by hand: manual edits and suppression entries.
//!
//! A manual edit is a row of the `manual` source, the top of every priority: no import
//! overwrites it, before or after. Its values are checked first, so a bad edit is an
//! error for the caller rather than a dropped value in the report. A suppression entry
//! leaves a person out of the result whatever was imported before or after it.

use chrono::NaiveDateTime;

use super::state::MergeState;
use super::{SourceFile, SuppressionList};
use crate::{
    error::{Error, Result},
    identity::{Email, Handle, Phone, Zip},
    import::{Column, SourceKind},
};

/// The name of the file manual edits are recorded under: their provenance reads
/// `manual` `manual:<n>` for the `n`-th edit.
pub const MANUAL_FILE: &str = "manual";

/// The creator-table columns a manual edit may set, in table order.
pub const EDITABLE_FIELDS: [&str; 10] = [
    "email",
    "phone",
    "first_name",
    "last_name",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "zipcode",
    "country",
];

/// A hand edit of one creator: `(column, value)` pairs named as in the creator table.
///
/// Name (`first_name`, `last_name`) and address (`address_line1` … `country`) are each
/// decided as a whole, so that their parts never mix sources: an edit that sets any part
/// of one sets all of it, the parts it leaves out empty.
///
/// ```
/// use creator_crm::merge::{ManualEdit, MergeOptions, Merger};
///
/// let mut merger = Merger::new(MergeOptions::default());
/// merger.edit(&ManualEdit::new("@Ana.B").set("email", "ana@mailbox.org"))?;
/// let err = merger.edit(&ManualEdit::new("ana.b").set("nickname", "x")).unwrap_err();
/// assert_eq!((err.field(), err.reason()), (Some("nickname"), "unknown field"));
/// # Ok::<(), creator_crm::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ManualEdit {
    /// The creator's handle, as typed (normalized by the merger).
    pub handle: String,
    /// `(column, value)` pairs; a later pair for the same column replaces an earlier one.
    pub fields: Vec<(String, String)>,
    /// When the edit was made, if known: among manual edits the later time wins, an edit
    /// without one is older than any with one, and at equal times the later edit wins.
    pub observed_at: Option<NaiveDateTime>,
}

impl std::fmt::Debug for ManualEdit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManualEdit")
            .field("handle", &self.handle)
            .field(
                "fields",
                &self.fields.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("observed_at", &self.observed_at)
            .finish()
    }
}

impl ManualEdit {
    /// An edit of the creator `handle` that sets nothing yet.
    pub fn new(handle: impl Into<String>) -> Self {
        ManualEdit {
            handle: handle.into(),
            fields: Vec::new(),
            observed_at: None,
        }
    }

    /// Sets `column` to `value`.
    #[must_use]
    pub fn set(mut self, column: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.push((column.into(), value.into()));
        self
    }

    /// Sets the time of the edit.
    #[must_use]
    pub fn observed_at(mut self, at: NaiveDateTime) -> Self {
        self.observed_at = Some(at);
        self
    }
}

/// The import column of an editable creator-table column.
fn column_of(name: &str) -> Option<Column> {
    Some(match name {
        "email" => Column::Email,
        "phone" => Column::Phone,
        "first_name" => Column::FirstName,
        "last_name" => Column::LastName,
        "address_line1" => Column::AddressLine1,
        "address_line2" => Column::AddressLine2,
        "city" => Column::City,
        "state" => Column::State,
        "zipcode" => Column::Zipcode,
        "country" => Column::Country,
        _ => return None,
    })
}

/// The field name as `'static` text for an error: an editable column's own name, the
/// caller's name otherwise (a column name, not personal data).
fn field_name(name: &str) -> std::borrow::Cow<'static, str> {
    EDITABLE_FIELDS
        .iter()
        .find(|f| **f == name)
        .map_or_else(|| name.to_owned().into(), |f| (*f).into())
}

impl MergeState {
    /// [`Merger::edit`].
    pub(crate) fn edit(&mut self, edit: &ManualEdit) -> Result<()> {
        let handle = Handle::parse(&edit.handle)?;
        if edit.fields.is_empty() {
            return Err(Error::invalid("fields", "nothing to edit"));
        }
        // The last value given for each column.
        let mut cells: Vec<(Column, &str)> = Vec::with_capacity(edit.fields.len() + 1);
        for (name, value) in &edit.fields {
            let column =
                column_of(name).ok_or_else(|| Error::invalid(field_name(name), "unknown field"))?;
            cells.retain(|(c, _)| *c != column);
            cells.push((column, value.trim()));
        }
        self.check_edit(&cells)?;
        let line = self
            .files
            .iter()
            .find(|f| &*f.name == MANUAL_FILE)
            .map_or(0, |f| f.seeded_lines + f.report.rows_read)
            + 1;
        cells.push((Column::Handle, handle.as_str()));
        let mut file = SourceFile::new(SourceKind::Manual, MANUAL_FILE);
        file.observed_at = edit.observed_at;
        self.add_cells(&file, line, &cells)
    }

    /// Checks the values of an edit's cells as the merge will read them.
    fn check_edit(&self, cells: &[(Column, &str)]) -> Result<()> {
        let get = |col: Column| cells.iter().find(|(c, _)| *c == col).map(|(_, v)| *v);
        for (col, field) in [(Column::Email, "email"), (Column::Phone, "phone")] {
            if get(col).is_some_and(str::is_empty) {
                return Err(Error::invalid(field, "empty value"));
            }
        }
        if let Some(raw) = get(Column::Email) {
            match Email::parse(raw)? {
                Some(_) => {}
                None => return Err(Error::invalid("email", "placeholder email")),
            }
        }
        if let Some(raw) = get(Column::Phone) {
            match Phone::parse(raw, self.options.region).map_err(|e| e.with_field("phone"))? {
                Phone::E164 { .. } => {}
                Phone::Masked(_) => return Err(Error::invalid("phone", "masked number")),
            }
        }
        if let Some(raw) = get(Column::Zipcode).filter(|z| !z.is_empty()) {
            let country = get(Column::Country).map(super::accumulate::normalize_country);
            if country.as_deref().is_none_or(|c| c.is_empty() || c == "US") {
                Zip::parse(raw).map_err(|e| e.with_field("zipcode"))?;
            }
        }
        Ok(())
    }

    /// [`Merger::set_suppression`].
    pub(crate) fn set_suppression(&mut self, list: SuppressionList) {
        self.options.suppression = list;
    }

    /// [`Merger::suppress`].
    pub(crate) fn suppress(
        &mut self,
        handle: Option<&str>,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> Result<()> {
        if handle.is_none() && email.is_none() && phone.is_none() {
            return Err(Error::invalid("suppression", "nothing to suppress"));
        }
        let handle = handle.map(Handle::parse).transpose()?;
        let email = match email.map(Email::parse).transpose()? {
            Some(None) => return Err(Error::invalid("email", "placeholder email")),
            e => e.flatten(),
        };
        let phone = match phone
            .map(|p| Phone::parse(p, self.options.region))
            .transpose()
            .map_err(|e| e.with_field("phone"))?
        {
            Some(Phone::Masked(_)) => return Err(Error::invalid("phone", "masked number")),
            Some(Phone::E164 { number, .. }) => Some(number),
            None => None,
        };
        let list = &mut self.options.suppression;
        if let Some(h) = &handle {
            list.suppress_handle(h);
        }
        if let Some(e) = &email {
            list.suppress_email(e);
        }
        if let Some(p) = &phone {
            list.suppress_phone(p);
        }
        Ok(())
    }
}
