//! Turning one source row into candidates and related records.
//!
//! What each kind contributes:
//!
//! | kind | creator fields | related records |
//! |---|---|---|
//! | `euka`, `phone_numbers`, `manual` | email, phone, name, address | — |
//! | `sample_orders` | phone, name, address | sample `(order_id, sku_id)` |
//! | `refunnel` | — | snapshot `(creator, date, source)` |
//! | `videos` | — | video `video_id`, video-product link |
//! | `products` | — | product `product_id` |
//!
//! Addresses: US states become two-letter codes, a 4-digit US ZIP gets back the leading
//! zero a spreadsheet dropped, `USA`/`United States` become `US`, and a US state implies
//! country `US`.
//!
//! Every kind but `products` needs a valid handle; a row without one is rejected.
//! A value that cannot be read (bad email syntax, a number that is not one) is dropped
//! and counted; the rest of the row is kept.

use compact_str::CompactString;
use std::{borrow::Cow, io::Read, sync::LazyLock};

use chrono::Datelike;
use memchr::memmem;
use rust_decimal::Decimal;

use super::state::MergeState;
use super::{
    ImportProgress, ProgressHook, SourceFile,
    intern::StrInterner,
    parts::{AddressKey, NameKey},
    state::{
        Caches, CandField, FileState, NO_TIME, Packed, Parsed, PhoneParsed, ProductAcc, Prov,
        RecordHead, SampleDetail, SnapDetail, SnapHead, VideoDetail, VideoHead, to_secs,
    },
    strcache::StrCache,
};
use crate::{
    error::Result,
    identity::{
        CellKey, Email, Handle, PersonName, Phone, PostalAddress, Zip, clean_text, us_state_code,
    },
    import::{
        Column, RawRow, SourceKind, SourceReader,
        values::{parse_count, parse_money, parse_percent, parse_timestamp},
    },
};

/// What is fixed for every row of one file.
pub(super) struct RowCtx {
    kind: SourceKind,
    file: u16,
    observed: i64,
    brand: Option<u32>,
}

/// Rows read before a file's stores are sized from its first rows' length.
const ROWS_TO_SIZE: u64 = 2048;

/// The shortest row [`Merger::reserve_rows`] expects, in bytes: bounds what an odd first
/// stretch of a file can make it reserve.
const MIN_ROW_BYTES: u64 = 16;

/// Most rows [`Merger::reserve_rows`] makes room for ahead of time.
const MAX_ROWS_SIZED: usize = 1 << 21;

impl MergeState {
    /// [`Merger::import_csv`].
    pub(crate) fn import_csv<R: Read>(&mut self, file: &SourceFile, reader: R) -> Result<()> {
        self.import_sized(file, reader, None)
    }

    /// [`Merger::import_csv`] of an input of `size` bytes, when known. Once the first
    /// rows tell how long a row is, the stores this file fills are sized for the rest, so
    /// that they do not grow (copying, rehashing) while it is read.
    pub(crate) fn import_sized<R: Read>(
        &mut self,
        file: &SourceFile,
        reader: R,
        size: Option<u64>,
    ) -> Result<()> {
        let mut src = SourceReader::new(file.kind, reader, &file.columns)?;
        let ctx = self.row_ctx(file)?;
        let mut rows = 0u64;
        let progress = self.options.progress.clone();
        let tell = |rows: u64, bytes_read: u64, done: bool| {
            if let Some(hook) = &progress {
                hook.report(&ImportProgress {
                    file: &file.name,
                    kind: file.kind,
                    bytes_read,
                    total_bytes: size,
                    rows_read: rows,
                    done,
                });
            }
        };
        let result = loop {
            match src.read_row() {
                Ok(Some((line, row))) => {
                    if let Err(e) = self.take_inputs(1) {
                        break Err(e);
                    }
                    self.add_row(&ctx, line, &row);
                    rows += 1;
                    if rows == ROWS_TO_SIZE
                        && let Some(size) = size
                    {
                        self.reserve_rows(&ctx, rows, src.bytes_read(), size);
                    }
                    if rows % ProgressHook::EVERY_ROWS == 0 {
                        tell(rows, src.bytes_read(), false);
                    }
                }
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        tell(rows, src.bytes_read(), true);
        self.end_file(&ctx, src.description_rows());
        result
    }

    /// What follows the last row of a file (read to its end or not): its records settled,
    /// its duplicate rows counted, the caches of its cells let go.
    pub(super) fn end_file(&mut self, ctx: &RowCtx, description_rows: u64) {
        self.settle_records();
        if let Some(f) = self.files.get_mut(usize::from(ctx.file)) {
            f.report.description_rows_skipped += description_rows;
            f.compact_rows();
            f.rows.release_pending();
        }
        self.video_products.compact();
        self.video_products.release_pending();
        self.clear_caches();
        self.shrink_stores();
    }

    /// Sizes the stores `ctx`'s file fills for the rows still to come: `size` bytes in all,
    /// `rows` rows in the first `read` bytes. A little over the estimate, so that a file
    /// whose rows run slightly longer does not double a store at its very end; at most
    /// one row per [`MIN_ROW_BYTES`] and [`MAX_ROWS_SIZED`] rows (a larger file's stores
    /// grow past that as before, and a wrong size hint costs little).
    fn reserve_rows(&mut self, ctx: &RowCtx, rows: u64, read: u64, size: u64) {
        if read == 0 {
            return;
        }
        let expected = u128::from(size) * u128::from(rows) / u128::from(read);
        let expected = expected.min(u128::from(size / MIN_ROW_BYTES));
        let more = usize::try_from(expected.saturating_sub(u128::from(rows)))
            .unwrap_or(0)
            .saturating_mul(65)
            / 64;
        let more = more.min(MAX_ROWS_SIZED);
        match ctx.kind {
            SourceKind::SampleOrders => self.samples.reserve(more),
            SourceKind::Videos => {
                self.videos.reserve(more);
                self.video_products.reserve(more);
            }
            SourceKind::Refunnel => self.snapshots.reserve(more),
            SourceKind::Products => self.products.reserve(more),
            SourceKind::Euka | SourceKind::PhoneNumbers | SourceKind::Manual => {}
        }
        if let Some(f) = self.files.get_mut(usize::from(ctx.file)) {
            f.rows.reserve(more);
        }
    }

    /// [`Merger::add_cells`].
    pub(crate) fn add_cells(
        &mut self,
        file: &SourceFile,
        line: u64,
        cells: &[(Column, &str)],
    ) -> Result<()> {
        self.take_inputs(1)?;
        let ctx = self.row_ctx(file)?;
        self.add_row(&ctx, line, &RawRow::from_cells(cells));
        self.settle_records();
        Ok(())
    }

    /// Adds rows of `file` that were read elsewhere (a partitioned merge's routed rows,
    /// `merge::partition`): `feed` calls the function it is given with each row and its
    /// line. The file's records are then settled as at the end of
    /// [`Merger::import_csv`].
    ///
    /// # Errors
    /// As [`Merger::add_cells`], and `feed`'s own error; rows added before stay.
    pub(crate) fn import_with(
        &mut self,
        file: &SourceFile,
        feed: impl FnOnce(&mut dyn FnMut(u64, &RawRow<'_>) -> Result<()>) -> Result<()>,
    ) -> Result<()> {
        let ctx = self.row_ctx(file)?;
        let result = feed(&mut |line, row| {
            self.take_inputs(1)?;
            self.add_row(&ctx, line, row);
            Ok(())
        });
        self.settle_records();
        if let Some(f) = self.files.get_mut(usize::from(ctx.file)) {
            f.compact_rows();
            f.rows.release_pending();
        }
        self.video_products.compact();
        self.video_products.release_pending();
        self.clear_caches();
        result
    }

    pub(super) fn row_ctx(&mut self, file: &SourceFile) -> Result<RowCtx> {
        let fi = self.file_index(&file.name, file.kind)?;
        Ok(RowCtx {
            kind: file.kind,
            file: fi,
            observed: to_secs(file.observed_at),
            brand: file.brand.as_deref().map(|b| self.strings.intern(b)),
        })
    }

    fn report(&mut self, file: u16) -> Option<&mut super::report::FileReport> {
        self.files.get_mut(usize::from(file)).map(|f| &mut f.report)
    }

    fn reject(&mut self, file: u16, line: u64, field: &str, reason: &str) {
        let Some(r) = self.report(file) else { return };
        r.rows_rejected += 1;
        let key = format!("{field}: {reason}");
        *r.rejected_by_reason.entry(key).or_insert(0) += 1;
        r.rejected.push(super::RowIssue {
            line,
            field: Some(field.to_owned()),
            reason: reason.to_owned(),
        });
    }

    fn drop_value(&mut self, file: u16, field: &str, reason: &str) {
        let MergeState { caches, files, .. } = self;
        count_dropped(files, &mut caches.scratch, file, field, reason);
    }

    /// [`Merger::drop_value`] with an interned reason.
    fn drop_interned(&mut self, file: u16, field: &str, reason: u32) {
        let MergeState {
            caches,
            files,
            strings,
            ..
        } = self;
        count_dropped(files, &mut caches.scratch, file, field, strings.str(reason));
    }

    /// The value of `col` read by `parse`; a value that cannot be read is dropped and
    /// counted under `field` (the row is kept).
    fn value<T>(
        &mut self,
        file: u16,
        row: &RawRow<'_>,
        col: Column,
        field: &'static str,
        parse: fn(&str, &'static str) -> Result<T>,
    ) -> Option<T> {
        let raw = row.get(col)?;
        match parse(&raw, field) {
            Ok(v) => Some(v),
            Err(e) => {
                self.drop_value(file, field, e.reason());
                None
            }
        }
    }

    fn count(
        &mut self,
        file: u16,
        row: &RawRow<'_>,
        col: Column,
        field: &'static str,
    ) -> Option<u64> {
        self.value(file, row, col, field, parse_count)
    }

    fn money(
        &mut self,
        file: u16,
        row: &RawRow<'_>,
        col: Column,
        field: &'static str,
    ) -> Option<Decimal> {
        self.value(file, row, col, field, parse_money)
    }

    fn percent(
        &mut self,
        file: u16,
        row: &RawRow<'_>,
        col: Column,
        field: &'static str,
    ) -> Option<Decimal> {
        self.value(file, row, col, field, parse_percent)
    }

    /// A time cell as Unix seconds, [`NO_TIME`] when empty or unreadable.
    fn time(&mut self, file: u16, row: &RawRow<'_>, col: Column, field: &'static str) -> i64 {
        self.value(file, row, col, field, parse_timestamp)
            .unwrap_or(NO_TIME)
    }

    /// The reading of cell `col` by `read`, once per distinct cell text of a file: `cache`
    /// picks the cache of that kind of cell. `None` when the cell is empty.
    fn cached<V: Copy>(
        &mut self,
        raw: Option<&str>,
        cache: fn(&mut Caches) -> &mut StrCache<V>,
        read: impl FnOnce(&mut StrInterner, &str) -> V,
    ) -> Option<V> {
        let raw = raw?;
        if let Some(v) = cache(&mut self.caches).get(raw) {
            return Some(v);
        }
        let v = read(&mut self.strings, raw);
        cache(&mut self.caches).insert(raw, v);
        Some(v)
    }

    /// A text cell repaired, whitespace collapsed and interned; once per distinct cell
    /// (product names, variations and statuses repeat on most rows).
    fn text(&mut self, row: &RawRow<'_>, col: Column) -> Option<u32> {
        self.text_of(row.get(col).as_deref())
    }

    /// [`Merger::text`] of a cell already read.
    fn text_of(&mut self, raw: Option<&str>) -> Option<u32> {
        self.cached(
            raw,
            |c| &mut c.texts,
            |strings, raw| {
                let clean = clean_text(raw);
                (!clean.is_empty()).then(|| strings.intern(&clean))
            },
        )
        .flatten()
    }

    /// A text cell kept only in a record's details: not read at all when the merger keeps
    /// none ([`super::MergeOptions::related_records`] off).
    fn detail_text(&mut self, row: &RawRow<'_>, col: Column) -> Option<u32> {
        if self.options.related_records {
            self.text(row, col)
        } else {
            None
        }
    }

    pub(super) fn add_row(&mut self, ctx: &RowCtx, line: u64, row: &RawRow<'_>) {
        self.add_row_inner(ctx, line, row);
        if !self.options.parse_cache() {
            self.caches.clear();
        }
    }

    fn add_row_inner(&mut self, ctx: &RowCtx, line: u64, row: &RawRow<'_>) {
        let file = ctx.file;
        if let Some(f) = self.files.get_mut(usize::from(file)) {
            f.report.rows_read += 1;
            f.report.duplicates_collapsed += f.rows.push(row.fingerprint());
        }
        // Provenance keeps 32-bit lines; a row past them cannot say where it came from.
        let Ok(line32) = u32::try_from(line) else {
            self.reject(file, line, "line", "line number too large");
            return;
        };
        if ctx.kind == SourceKind::Products {
            self.add_product(ctx, line, line32, row);
            return;
        }
        let video_id = if ctx.kind == SourceKind::Videos {
            match video_id(row) {
                Some(id) => Some(self.id_key(&id)),
                None => {
                    self.reject(file, line, "video_id", "missing video id");
                    return;
                }
            }
        } else {
            None
        };
        let Some(creator) = self.creator_of(file, line, row) else {
            return;
        };
        let row_time = match ctx.kind {
            SourceKind::SampleOrders => self.time(file, row, Column::CreatedTime, "created_time"),
            SourceKind::Videos => self.time(file, row, Column::VideoPostDate, "video_post_date"),
            SourceKind::Refunnel => self.time(file, row, Column::LastPost, "last_post"),
            _ => NO_TIME,
        };
        let observed = if ctx.observed != NO_TIME {
            ctx.observed
        } else {
            row_time
        };
        let prov = Prov {
            kind: ctx.kind,
            file,
            line: line32,
            observed,
        };
        if let Some(c) = self.creators.get_mut(creator as usize) {
            c.sources |= 1 << (ctx.kind as u8);
        }
        if let Some(brand) = ctx.brand {
            self.brand_links.insert((brand, creator));
        }
        match ctx.kind {
            SourceKind::Euka | SourceKind::PhoneNumbers | SourceKind::Manual => {
                self.add_contact(file, creator, prov, row);
            }
            SourceKind::SampleOrders => {
                self.add_contact(file, creator, prov, row);
                self.add_sample(file, creator, prov, row_time, row);
            }
            SourceKind::Refunnel => self.add_snapshot(file, creator, prov, row_time, row),
            SourceKind::Videos => {
                if let Some(vid) = video_id {
                    self.add_video(file, creator, vid, prov, row_time, row);
                }
            }
            SourceKind::Products => {}
        }
    }

    /// The creator of a row, or `None` after rejecting it.
    fn creator_of(&mut self, file: u16, line: u64, row: &RawRow<'_>) -> Option<u32> {
        let Some(raw) = row.get(Column::Handle).or_else(|| row.get(Column::Profile)) else {
            self.reject(file, line, "handle", "missing handle");
            return None;
        };
        // Normalized into a reused buffer: most raw handle cells are distinct spellings
        // (case, `@`, URLs), so a cache keyed by the raw text would mostly miss.
        let mut name = std::mem::take(&mut self.caches.scratch);
        let out = match Handle::normalize_into(&raw, &mut name) {
            Ok(()) => {
                // Exports often list a creator's rows together: the previous row's creator
                // is checked before the index.
                let last = self.caches.last_creator.filter(|&id| {
                    self.creators
                        .get(id as usize)
                        .is_some_and(|c| c.handle.is(&name))
                });
                let id = last.or_else(|| self.creator_for_name(&name));
                if id.is_none() {
                    self.reject(file, line, "handle", "too long");
                }
                self.caches.last_creator = id;
                id
            }
            Err(e) => {
                self.reject(file, line, "handle", e.reason());
                None
            }
        };
        self.caches.scratch = name;
        out
    }

    fn add_contact(&mut self, file: u16, creator: u32, prov: Prov, row: &RawRow<'_>) {
        if let Some(raw) = row.get(Column::Email) {
            match self.email(&raw) {
                Parsed::Value(id) => self.add_cand(creator, CandField::Email, id, prov),
                Parsed::Nothing => {}
                Parsed::Dropped(r) => self.drop_value(file, "email", r),
            }
        }
        if let Some(raw) = row.get(Column::Phone) {
            match self.phone(&raw) {
                PhoneParsed::Full(id) => self.add_cand(creator, CandField::Phone, id, prov),
                PhoneParsed::Masked(id) => self.add_cand(creator, CandField::Masked, id, prov),
                PhoneParsed::Dropped(r) => self.drop_interned(file, "phone", r),
            }
        }
        let mut name = std::mem::take(&mut self.caches.name);
        if self.name(row, &mut name) {
            self.add_name(creator, &name, prov);
        }
        self.caches.name = name;
        let mut address = std::mem::take(&mut self.caches.address);
        let (has_address, bad_zip) = self.address(row, &mut address);
        if has_address {
            self.add_address(creator, &address, prov);
        }
        self.caches.address = address;
        if bad_zip {
            self.drop_value(file, "zipcode", "invalid zip");
        }
    }

    fn email(&mut self, raw: &str) -> Parsed {
        if let Some(p) = self.caches.emails.get(raw) {
            return p;
        }
        let parsed = match Email::parse(raw) {
            Ok(Some(e)) => Parsed::Value(self.emails.intern_with(e.as_str(), || e.clone())),
            Ok(None) => Parsed::Nothing,
            Err(_) => Parsed::Dropped("invalid syntax"),
        };
        self.caches.emails.insert(raw, parsed);
        parsed
    }

    /// Parses a phone cell, once per distinct number: cells that are only digits and
    /// separators are first reduced to their canonical key
    /// ([`crate::identity::PhoneKeys::key`]), so
    /// `(+1)3159212129`, `315-921-2129` and `+1 315 921 2129` cost one parse.
    fn phone(&mut self, raw: &str) -> PhoneParsed {
        let mut key = std::mem::take(&mut self.caches.phone_key);
        let parsed = self.phone_with_key(raw, &mut key);
        self.caches.phone_key = key;
        parsed
    }

    /// [`Merger::phone`] with a reused buffer for the canonical key. A cell made of
    /// digits and separators is reduced to its key first (no lookup): a `+digits` key
    /// already interned is that very number, valid, found with one lookup; any other
    /// text is parsed once per file and cached under the text parsed.
    fn phone_with_key(&mut self, raw: &str, key: &mut String) -> PhoneParsed {
        let keyed = if self.options.parse_cache() {
            self.phone_keys.key(raw, key)
        } else {
            None
        };
        let text = match keyed {
            Some(CellKey::International) => {
                if let Some(id) = self.phones.find(key) {
                    return PhoneParsed::Full(id);
                }
                key.as_str()
            }
            Some(CellKey::National) => key.as_str(),
            None => raw,
        };
        if let Some(p) = self.caches.phones.get(text) {
            return p;
        }
        let parsed = match Phone::parse(text, self.options.region) {
            Ok(Phone::E164 { number, .. }) => {
                PhoneParsed::Full(self.phones.intern_with(number.as_str(), || number.clone()))
            }
            Ok(Phone::Masked(m)) => PhoneParsed::Masked(self.masks.intern_with(&m, || m.clone())),
            Err(e) => PhoneParsed::Dropped(self.strings.intern(e.reason())),
        };
        self.caches.phones.insert(text, parsed);
        parsed
    }

    /// The row's name into `out`; false when it has none. No per-file cache: the last
    /// full name read is kept (a creator's rows mostly repeat it), and
    /// [`Merger::add_name`] finds a repeated name among the creator's own values.
    fn name(&mut self, row: &RawRow<'_>, out: &mut NameKey) -> bool {
        let first = row.get(Column::FirstName);
        let last = row.get(Column::LastName);
        if first.is_none() && last.is_none() {
            let Some(full) = row.get(Column::Recipient) else {
                return false;
            };
            // A creator's rows mostly repeat one recipient: the last one read is kept.
            let memo = &mut self.caches.last_name;
            if memo.raw != *full {
                memo.raw.clear();
                memo.raw.push_str(&full);
                let name = &mut memo.name;
                memo.found = PersonName::read_full(&full, |f, l| name.set([f, l]));
            }
            out.copy_from(&memo.name);
            memo.found
        } else {
            PersonName::read_parts(
                first.as_deref().unwrap_or(""),
                last.as_deref().unwrap_or(""),
                |f, l| out.set([f, l]),
            )
        }
    }

    /// The row's address into `out`, whether it has one, and whether its ZIP was dropped.
    ///
    /// Separate columns are cleaned one part at a time, each through a cache of that
    /// column's distinct cells (a file has few distinct cities, states, ZIPs and
    /// countries), and joined into `out`: whole address cells are mostly distinct, so they
    /// are not cached themselves.
    fn address(&mut self, row: &RawRow<'_>, out: &mut AddressKey) -> (bool, bool) {
        let [line1, line2, city, state, zip] = [
            Column::AddressLine1,
            Column::AddressLine2,
            Column::City,
            Column::State,
            Column::Zipcode,
        ]
        .map(|c| row.get(c));
        let country = row.get(Column::Country);
        let no_lines = [&line1, &line2, &city, &state, &zip]
            .iter()
            .all(|c| c.is_none());
        if no_lines && let Some(one_line) = row.get(Column::Address) {
            let mut a = PostalAddress::parse_one_line(&one_line);
            if a.country.is_empty() {
                a.country = normalize_country(country.as_deref().unwrap_or("")).into();
            }
            if a.country.is_empty() && us_state_code(&a.state).is_some() {
                a.country = CompactString::const_new("US");
            }
            let parts = [&a.line1, &a.line2, &a.city, &a.state, &a.zip, &a.country];
            if parts.iter().all(|p| p.is_empty()) {
                return (false, false);
            }
            out.set(parts.map(CompactString::as_str));
            return (true, false);
        }
        let (country, is_us) = self.country_part(country.as_deref());
        let city = self.text_of(city.as_deref());
        let (state, is_state) = self.state_part(state.as_deref());
        let (zip, bad_zip) = if country.is_none() || is_us {
            self.us_zip_part(zip.as_deref())
        } else {
            (self.text_of(zip.as_deref()), false)
        };
        let country = match country {
            None if is_state => Some(self.strings.intern("US")),
            c => c,
        };
        // Street lines are nearly all distinct: cleaned straight into the key rather than
        // interned one by one.
        let raw_lines = [line1, line2];
        let clean_lines = raw_lines.each_ref().map(|l| l.as_deref().map(clean_text));
        let lines = clean_lines.each_ref().map(|l| l.as_deref().unwrap_or(""));
        let [city, state, zip, country] =
            [city, state, zip, country].map(|p| p.map_or("", |id| self.strings.str(id)));
        let parts = [lines[0], lines[1], city, state, zip, country];
        if parts.iter().all(|p| p.is_empty()) {
            return (false, bad_zip);
        }
        out.set(parts);
        (true, bad_zip)
    }

    /// The country cell normalized ([`normalize_country`]) and interned, and whether it
    /// is the US.
    fn country_part(&mut self, raw: Option<&str>) -> (Option<u32>, bool) {
        self.cached(
            raw,
            |c| &mut c.countries,
            |strings, raw| {
                let country = normalize_country(raw);
                let id = (!country.is_empty()).then(|| strings.intern(&country));
                (id, country == "US")
            },
        )
        .unwrap_or((None, false))
    }

    /// The state cell as a two-letter code when it names a US state, else cleaned;
    /// interned, with whether it is a US state.
    fn state_part(&mut self, raw: Option<&str>) -> (Option<u32>, bool) {
        self.cached(
            raw,
            |c| &mut c.states,
            |strings, raw| {
                let state =
                    us_state_code(raw).map_or_else(|| clean_text(raw).into_owned(), str::to_owned);
                let id = (!state.is_empty()).then(|| strings.intern(&state));
                (id, us_state_code(&state).is_some())
            },
        )
        .unwrap_or((None, false))
    }

    /// A US ZIP cell read by [`Zip::parse`] (which puts back the leading zero a
    /// spreadsheet dropped) and interned, with whether it was dropped as invalid.
    fn us_zip_part(&mut self, raw: Option<&str>) -> (Option<u32>, bool) {
        self.cached(
            raw,
            |c| &mut c.zips,
            |strings, raw| match Zip::parse(raw) {
                Ok(z) => (Some(strings.intern(z.as_str())), false),
                Err(_) => (None, true),
            },
        )
        .unwrap_or((None, false))
    }

    fn add_sample(&mut self, file: u16, creator: u32, prov: Prov, created: i64, row: &RawRow<'_>) {
        let Some(order) = row.get(Column::OrderId) else {
            return;
        };
        let order = self.id_key(&order);
        let sku = row.get(Column::SkuId);
        let sku = self.id_key(sku.as_deref().unwrap_or(""));
        let product_name = self.detail_text(row, Column::ProductName);
        let variation = self.detail_text(row, Column::Variation);
        let status = self.detail_text(row, Column::OrderStatus);
        let quantity = self.count(file, row, Column::Quantity, "quantity");
        let shipped = self.time(file, row, Column::ShippedTime, "shipped_time");
        let delivered = self.time(file, row, Column::DeliveredTime, "delivered_time");
        let head = RecordHead { creator, prov };
        let detail = SampleDetail {
            product_name,
            variation,
            quantity,
            status,
            created,
            shipped,
            delivered,
        };
        let ranker = super::survivorship::Ranker::new(&self.options.priority, &self.files);
        ranker.keep_newest(&mut self.samples, (order, sku), head, detail, |s| s.prov);
    }

    fn add_video(
        &mut self,
        file: u16,
        creator: u32,
        vid: super::state::IdKey,
        prov: Prov,
        posted: i64,
        row: &RawRow<'_>,
    ) {
        let name = self.detail_text(row, Column::VideoName);
        // Parsed in column order, as dropped-value reasons are counted in that order.
        let gmv = self.money(file, row, Column::Gmv, "gmv");
        let items_sold = self.count(file, row, Column::ItemsSold, "items_sold");
        let orders = self.count(file, row, Column::Orders, "orders");
        let impressions = self.count(file, row, Column::Impressions, "impressions");
        let likes = self.count(file, row, Column::Likes, "likes");
        let comments = self.count(file, row, Column::Comments, "comments");
        let ctr = self.percent(file, row, Column::Ctr, "ctr");
        let commission = self.money(file, row, Column::Commission, "commission");
        let head = VideoHead { creator, gmv, prov };
        let detail = VideoDetail {
            name,
            posted,
            counts: Packed::new([items_sold, orders, impressions, likes, comments]),
            amounts: Packed::new([ctr, commission]),
        };
        if let Some(pid) = row.get(Column::ProductId) {
            let pid = self.id_key(&pid);
            self.video_products.push((vid, pid));
        }
        let ranker = super::survivorship::Ranker::new(&self.options.priority, &self.files);
        ranker.keep_newest(&mut self.videos, vid, head, detail, |v| v.prov);
    }

    fn add_snapshot(
        &mut self,
        file: u16,
        creator: u32,
        prov: Prov,
        last_post: i64,
        row: &RawRow<'_>,
    ) {
        let day = super::state::from_secs(prov.observed)
            .map_or(i32::MIN, |t| t.date().num_days_from_ce());
        let followers = self.count(file, row, Column::Followers, "followers");
        let gmv = self.money(file, row, Column::Gmv, "gmv");
        let detail = SnapDetail {
            emv: self.money(file, row, Column::Emv, "emv"),
            total_posts: self.count(file, row, Column::TotalPosts, "total_posts"),
            likes: self.count(file, row, Column::Likes, "likes"),
            comments: self.count(file, row, Column::Comments, "comments"),
            shares: self.count(file, row, Column::Shares, "shares"),
            engagement: self.percent(file, row, Column::Engagement, "engagement"),
            impressions: self.count(file, row, Column::Impressions, "impressions"),
            last_post: super::state::from_secs(last_post).map(|t| t.date()),
        };
        let head = SnapHead {
            followers,
            gmv,
            prov,
        };
        let ranker = super::survivorship::Ranker::new(&self.options.priority, &self.files);
        let key = (creator, day, prov.kind);
        ranker.keep_newest(&mut self.snapshots, key, head, detail, |s| s.prov);
    }

    fn add_product(&mut self, ctx: &RowCtx, line: u64, line32: u32, row: &RawRow<'_>) {
        let file = ctx.file;
        let Some(pid) = row.get(Column::ProductId) else {
            self.reject(file, line, "product_id", "missing product id");
            return;
        };
        let pid = self.id_key(&pid);
        let acc = ProductAcc {
            name: self.text(row, Column::ProductName),
            gmv: self.money(file, row, Column::Gmv, "gmv"),
            items_sold: self.count(file, row, Column::ItemsSold, "items_sold"),
            orders: self.count(file, row, Column::Orders, "orders"),
            prov: Prov {
                kind: ctx.kind,
                file,
                line: line32,
                observed: ctx.observed,
            },
        };
        let ranker = super::survivorship::Ranker::new(&self.options.priority, &self.files);
        ranker.keep_newest(&mut self.products, pid, acc, (), |p| p.prov);
    }
}

/// Counts a dropped value of `field` for `reason` in `file`'s report, the key
/// (`field: reason`) built in `scratch`.
fn count_dropped(
    files: &mut [FileState],
    scratch: &mut String,
    file: u16,
    field: &str,
    reason: &str,
) {
    scratch.clear();
    scratch.push_str(field);
    scratch.push_str(": ");
    scratch.push_str(reason);
    let Some(f) = files.get_mut(usize::from(file)) else {
        return;
    };
    match f.report.dropped_by_reason.get_mut(scratch.as_str()) {
        Some(n) => *n += 1,
        None => {
            f.report.dropped_by_reason.insert(scratch.clone(), 1);
        }
    }
}

/// The video id: an explicit column, else the digits after `/video/` in the link, else a
/// link that is all digits.
fn video_id<'a>(row: &RawRow<'a>) -> Option<Cow<'a, str>> {
    if let Some(id) = row.get(Column::VideoId) {
        return Some(id);
    }
    let link = row.get(Column::VideoLink)?;
    if link.bytes().all(|b| b.is_ascii_digit()) {
        return Some(link);
    }
    // The first `/video/`, by a searcher built once per process.
    static VIDEO: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new(b"/video/"));
    let at = VIDEO.find(link.as_bytes())? + 7;
    let tail = link.get(at..)?;
    let n = tail.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return None;
    }
    // The digits are a slice of the link: borrow them when the link is borrowed.
    Some(match link {
        Cow::Borrowed(l) => Cow::Borrowed(l.get(at..at + n)?),
        Cow::Owned(l) => Cow::Owned(l.get(at..at + n)?.to_owned()),
    })
}

/// `US`, `USA`, `United States (of America)` → `US`; anything else cleaned, as written.
pub(crate) fn normalize_country(raw: &str) -> String {
    let n: String = raw
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match n.as_str() {
        "" => String::new(),
        "us" | "usa" | "unitedstates" | "unitedstatesofamerica" => "US".to_owned(),
        _ => clean_text(raw).into_owned(),
    }
}
