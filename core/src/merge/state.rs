//! The merger's accumulated state: per-creator field candidates and keyed related records.
//!
//! Nothing here depends on the order rows arrive in: a candidate is kept per
//! distinct `(field, value)` with its best provenance, and a related record per
//! key with its newest row. The rules in `survivorship.rs` decide winners only at the end.

use std::{cmp::Ordering, sync::Arc};

use ahash::AHashSet;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::{
    MergeOptions,
    ids::IdIndex,
    intern::{Interner, StrInterner},
    keyed::Records,
    parts::{AddressKey, NameKey, PartsArena},
    report::FileReport,
    seen::{SeenRows, SortedSet},
    strcache::StrCache,
};
use crate::{
    error::{Error, ErrorKind, Result},
    identity::{E164, Email, HANDLE_MAX_LEN, Handle, MaskedPhone, PhoneKeys},
    import::{SourceKind, values::plain_count},
};

/// Most distinct files one merger takes (file indices are 16-bit).
pub const MAX_FILES: usize = 1 << 16;

/// The error past [`MAX_FILES`].
pub(crate) fn too_many_files() -> Error {
    Error::new(ErrorKind::Import, "too many files")
}

/// Most inputs one merger takes: rows read or added, stored evidence values and related
/// records, the inputs of mergers folded in counted too (2^28, 268,435,456).
///
/// Values are named by `u32` ids. An input adds at most 15 ids to any one id space
/// (creators, emails, phones, masks, names, addresses, texts, record positions; a
/// sample row, the most, interns 10 texts) and a file at most one more (its brand), so
/// with at most `MAX_INPUTS` inputs and [`MAX_FILES`] files no space outgrows its ids.
/// Past it, an import is an [`ErrorKind::Import`] error naming the limit.
pub const MAX_INPUTS: u64 = 1 << 28;

/// The error past [`MAX_INPUTS`].
pub(crate) fn too_many_inputs() -> Error {
    Error::new(
        ErrorKind::Import,
        "more than 268435456 rows and stored values in one merge",
    )
}

/// Ids one input may add to one id space, with room for the files' (see [`MAX_INPUTS`]).
const IDS_PER_INPUT: u64 = 16;

// Every id below `MAX_INPUTS * IDS_PER_INPUT` fits a `u32`.
const _: () = assert!(MAX_INPUTS * IDS_PER_INPUT <= 1 << 32);
const _: () = assert!(MAX_FILES as u64 <= MAX_INPUTS);

/// The id of the next value of a space holding `len`.
///
/// # Panics
/// Never in a merger: [`MergeState::take_inputs`] stops every merger at [`MAX_INPUTS`]
/// inputs, which keeps every id space within `u32` ids (see [`MAX_INPUTS`]).
#[allow(clippy::expect_used)]
pub(crate) fn next_id(len: usize) -> u32 {
    u32::try_from(len).expect("MAX_INPUTS keeps every id space within u32 ids")
}

/// "No time known"; sorts before every real time.
pub(crate) const NO_TIME: i64 = i64::MIN;

pub(crate) fn to_secs(t: Option<NaiveDateTime>) -> i64 {
    t.map_or(NO_TIME, |t| t.and_utc().timestamp())
}

pub(crate) fn from_secs(s: i64) -> Option<NaiveDateTime> {
    if s == NO_TIME {
        None
    } else {
        chrono::DateTime::from_timestamp(s, 0).map(|d| d.naive_utc())
    }
}

/// Where one candidate or record came from, compactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Prov {
    pub(crate) kind: SourceKind,
    pub(crate) file: u16,
    pub(crate) line: u32,
    pub(crate) observed: i64,
}

/// A creator field whose value is chosen by survivorship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum CandField {
    Email,
    Phone,
    Masked,
    Name,
    Address,
}

/// One distinct value seen for a creator field, with its best provenance. `value` names
/// an interned email, phone or mask, or for names and addresses a text in
/// [`Merger::values`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cand {
    pub(crate) field: CandField,
    pub(crate) value: u32,
    pub(crate) prov: Prov,
}

/// A normalized handle held inline: its ASCII bytes, zero-padded to [`HANDLE_MAX_LEN`].
///
/// Handles are at most that long and never contain a zero byte, so comparing two keys
/// (bytes, then length) orders them as their text. Held inline, the handle costs no
/// allocation and a creator lookup reads it from the creator's own entry.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct HandleKey {
    bytes: [u8; HANDLE_MAX_LEN],
    len: u8,
}

// The key is compared as whole 8-byte words.
const _: () = assert!(HANDLE_MAX_LEN % 8 == 0);

impl Ord for HandleKey {
    /// Bytes, then length, compared as three big-endian words: the order of the bytes,
    /// without a byte-by-byte comparison (the table is sorted by handle).
    fn cmp(&self, other: &Self) -> Ordering {
        let words = |k: &HandleKey| {
            let mut w = [0u64; HANDLE_MAX_LEN / 8];
            for (word, chunk) in w.iter_mut().zip(k.bytes.chunks_exact(8)) {
                *word = chunk.try_into().map_or(0, u64::from_be_bytes);
            }
            w
        };
        words(self)
            .cmp(&words(other))
            .then(self.len.cmp(&other.len))
    }
}

impl PartialOrd for HandleKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl HandleKey {
    /// The key of a normalized handle; `None` when it is longer than a handle can be.
    pub(crate) fn new(name: &str) -> Option<HandleKey> {
        let mut bytes = [0u8; HANDLE_MAX_LEN];
        bytes
            .get_mut(..name.len())?
            .copy_from_slice(name.as_bytes());
        Some(HandleKey {
            bytes,
            len: u8::try_from(name.len()).ok()?,
        })
    }

    /// The handle's first 8 bytes as a big-endian number: ordered as those bytes.
    pub(crate) fn prefix(&self) -> u64 {
        self.bytes
            .first_chunk::<8>()
            .map_or(0, |b| u64::from_be_bytes(*b))
    }

    /// Whether this is the handle `name`.
    pub(crate) fn is(&self, name: &str) -> bool {
        self.bytes.get(..usize::from(self.len)) == Some(name.as_bytes())
    }

    /// The handle's text.
    pub(crate) fn as_str(&self) -> &str {
        self.bytes
            .get(..usize::from(self.len))
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// The handle as the public type.
    pub(crate) fn to_handle(self) -> Handle {
        Handle::from_normalized(self.as_str())
    }
}

#[derive(Clone)]
pub(crate) struct CreatorAcc {
    pub(crate) handle: HandleKey,
    pub(crate) cands: Vec<Cand>,
    /// Bit `kind as usize` set when the creator was seen in that kind.
    pub(crate) sources: u8,
}

/// What every merge keeps of a sample: its creator and the row it came from.
#[derive(Clone, Copy)]
pub(crate) struct RecordHead {
    pub(crate) creator: u32,
    pub(crate) prov: Prov,
}

/// The rest of a sample.
#[derive(Clone)]
pub(crate) struct SampleDetail {
    pub(crate) product_name: Option<u32>,
    pub(crate) variation: Option<u32>,
    pub(crate) quantity: Option<u64>,
    pub(crate) status: Option<u32>,
    pub(crate) created: i64,
    pub(crate) shipped: i64,
    pub(crate) delivered: i64,
}

/// What every merge keeps of a video: its creator, GMV (a creator's total GMV falls back
/// to the sum of its videos') and the row it came from.
#[derive(Clone, Copy)]
pub(crate) struct VideoHead {
    pub(crate) creator: u32,
    pub(crate) gmv: Option<Decimal>,
    pub(crate) prov: Prov,
}

/// The rest of a video.
#[derive(Clone)]
pub(crate) struct VideoDetail {
    pub(crate) name: Option<u32>,
    pub(crate) posted: i64,
    /// Items sold, orders, impressions, likes, comments.
    pub(crate) counts: Packed<u64, 5>,
    /// CTR, commission.
    pub(crate) amounts: Packed<Decimal, 2>,
}

/// `N` optional values stored without a tag each: the values plus a presence mask
/// (an `Option<u64>` takes 16 bytes, an `Option<Decimal>` 20).
#[derive(Clone, Copy)]
pub(crate) struct Packed<T, const N: usize> {
    values: [T; N],
    present: u8,
}

impl<T: Copy + Default, const N: usize> Packed<T, N> {
    /// Packs `items` (`N` is at most 8).
    pub(crate) fn new(items: [Option<T>; N]) -> Self {
        const { assert!(N <= 8, "a presence mask has 8 bits") };
        let mut values = [T::default(); N];
        let mut present = 0u8;
        for (bit, (slot, item)) in (0u32..).zip(values.iter_mut().zip(items)) {
            if let Some(v) = item {
                *slot = v;
                present |= 1 << bit;
            }
        }
        Packed { values, present }
    }

    /// The `i`-th value, if present.
    pub(crate) fn get(&self, i: usize) -> Option<T> {
        let bit = 1u8.checked_shl(u32::try_from(i).ok()?)?;
        if self.present & bit == 0 {
            return None;
        }
        self.values.get(i).copied()
    }
}

/// What every merge keeps of a metric snapshot: what the creator table reads of the
/// latest one, and the row it came from.
#[derive(Clone, Copy)]
pub(crate) struct SnapHead {
    pub(crate) followers: Option<u64>,
    pub(crate) gmv: Option<Decimal>,
    pub(crate) prov: Prov,
}

/// The rest of a snapshot.
#[derive(Clone)]
pub(crate) struct SnapDetail {
    pub(crate) emv: Option<Decimal>,
    pub(crate) total_posts: Option<u64>,
    pub(crate) likes: Option<u64>,
    pub(crate) comments: Option<u64>,
    pub(crate) shares: Option<u64>,
    pub(crate) engagement: Option<Decimal>,
    pub(crate) impressions: Option<u64>,
    pub(crate) last_post: Option<NaiveDate>,
}

#[derive(Clone)]
pub(crate) struct ProductAcc {
    pub(crate) name: Option<u32>,
    pub(crate) gmv: Option<Decimal>,
    pub(crate) items_sold: Option<u64>,
    pub(crate) orders: Option<u64>,
    pub(crate) prov: Prov,
}

/// The id of a sample, video or product: the number itself when the id is a plain number
/// that prints back the same (no leading zero, below 2^63), else an interned string id
/// with the top bit set. Numeric ids, the common case, then cost no allocation.
pub(crate) type IdKey = u64;

pub(crate) const INTERNED_ID: u64 = 1 << 63;

/// The interned-string id of an [`IdKey`] with [`INTERNED_ID`] set: [`Merger::id_key`]
/// puts a `u32` id under the top bit, so the low 32 bits are that id.
#[allow(clippy::cast_possible_truncation)]
pub(crate) const fn interned_id(key: IdKey) -> u32 {
    (key & 0xFFFF_FFFF) as u32
}

/// An id that is a plain number printing back the same (no sign, no leading zero, at most
/// 19 digits, so it fits a `u64`) below [`INTERNED_ID`], read in one pass.
pub(crate) fn numeric_id(id: &str) -> Option<u64> {
    if id.len() > 1 && id.starts_with('0') {
        return None;
    }
    plain_count(id).filter(|&n| n < INTERNED_ID)
}

/// Key of a snapshot: creator, day (days since epoch, `i32::MIN` when unknown), source.
pub(crate) type SnapKey = (u32, i32, SourceKind);

/// A file the merger has seen, with its running report.
#[derive(Clone)]
pub(crate) struct FileState {
    pub(crate) name: Arc<str>,
    pub(crate) report: FileReport,
    /// Fingerprints of its rows, to count duplicates.
    pub(crate) rows: SeenRows,
    /// True while the file is known only from stored evidence
    /// ([`Merger::add_evidence`]): such a file is left out of the report.
    pub(crate) seeded: bool,
    /// The highest line of the file seen in stored evidence.
    pub(crate) seeded_lines: u64,
}

impl FileState {
    /// Compacts the pending row fingerprints, counting the duplicates among them.
    pub(crate) fn compact_rows(&mut self) {
        self.report.duplicates_collapsed += self.rows.compact();
    }
}

/// Parsed-value caches for the file being imported: raw text → interned result.
#[derive(Default)]
pub(crate) struct Caches {
    pub(crate) texts: StrCache<Option<u32>>,
    pub(crate) emails: StrCache<Parsed>,
    pub(crate) phones: StrCache<PhoneParsed>,
    pub(crate) countries: StrCache<(Option<u32>, bool)>,
    pub(crate) states: StrCache<(Option<u32>, bool)>,
    pub(crate) zips: StrCache<(Option<u32>, bool)>,
    pub(crate) scratch: String,
    /// A name being built.
    pub(crate) name: NameKey,
    /// An address being built.
    pub(crate) address: AddressKey,
    /// The creator of the previous row.
    pub(crate) last_creator: Option<u32>,
    /// The last full name read.
    pub(crate) last_name: NameMemo,
    pub(crate) phone_key: String,
}

impl Caches {
    /// Forgets every cached parse, keeping the allocations.
    pub(crate) fn clear(&mut self) {
        self.texts.clear();
        self.emails.clear();
        self.phones.clear();
        self.countries.clear();
        self.states.clear();
        self.zips.clear();
        self.last_creator = None;
        self.last_name = NameMemo::default();
    }
}

/// A full name cell and what [`crate::identity::PersonName::read_full`] made of it.
#[derive(Default)]
pub(crate) struct NameMemo {
    pub(crate) raw: String,
    pub(crate) name: NameKey,
    pub(crate) found: bool,
}

/// A phone cell, parsed and interned: a full number's or a mask's id, or the interned
/// reason it was dropped.
#[derive(Clone, Copy)]
pub(crate) enum PhoneParsed {
    Full(u32),
    Masked(u32),
    Dropped(u32),
}

/// A cached parse: a value id, nothing (placeholder/empty) or a dropped value's reason.
#[derive(Clone, Copy)]
pub(crate) enum Parsed {
    Value(u32),
    Nothing,
    Dropped(&'static str),
}

/// Everything a [`Merger`] has accumulated: the interned values, every creator's
/// candidates, the record stores and the files seen. The rules that read it are in
/// `survivorship.rs`; the public face is [`Merger`].
pub(crate) struct MergeState {
    pub(super) options: MergeOptions,
    pub(super) files: Vec<FileState>,
    pub(super) strings: StrInterner,
    /// Names, one per distinct name of each creator, compared within the creator only.
    pub(super) names: PartsArena<2>,
    /// Addresses, one per distinct address of each creator, compared within the creator
    /// only.
    pub(super) addresses: PartsArena<6>,
    pub(super) emails: Interner<Email>,
    pub(super) phones: Interner<E164>,
    pub(super) masks: Interner<MaskedPhone>,
    pub(super) creators: Vec<CreatorAcc>,
    pub(super) creator_index: IdIndex,
    pub(super) hasher: ahash::RandomState,
    pub(super) samples: Records<(IdKey, IdKey), RecordHead, SampleDetail>,
    pub(super) videos: Records<IdKey, VideoHead, VideoDetail>,
    pub(super) snapshots: Records<SnapKey, SnapHead, SnapDetail>,
    pub(super) products: Records<IdKey, ProductAcc, ()>,
    pub(super) brand_links: AHashSet<(u32, u32)>,
    /// Video-product links, as `(video id, product id)`.
    pub(super) video_products: SortedSet<(IdKey, IdKey)>,
    pub(super) caches: Caches,
    /// The canonical keys of phone cells in the default region.
    pub(super) phone_keys: PhoneKeys,
    /// Inputs taken so far ([`MAX_INPUTS`]).
    pub(super) inputs: u64,
    /// The shared emails (rule 6) as a partitioned merge's global pass found them over
    /// every partition, in place of this merger's own count (`merge::partition`).
    pub(super) shared_given: Option<AHashSet<u32>>,
}

/// A copy of everything accumulated, with empty parse caches: merging more into the copy
/// leaves this merger as it was.
impl Clone for MergeState {
    fn clone(&self) -> Self {
        MergeState {
            options: self.options.clone(),
            files: self.files.clone(),
            strings: self.strings.clone(),
            names: self.names.clone(),
            addresses: self.addresses.clone(),
            emails: self.emails.clone(),
            phones: self.phones.clone(),
            masks: self.masks.clone(),
            creators: self.creators.clone(),
            creator_index: self.creator_index.clone(),
            hasher: self.hasher.clone(),
            samples: self.samples.clone(),
            videos: self.videos.clone(),
            snapshots: self.snapshots.clone(),
            products: self.products.clone(),
            brand_links: self.brand_links.clone(),
            video_products: self.video_products.clone(),
            caches: Caches::default(),
            phone_keys: self.phone_keys,
            inputs: self.inputs,
            shared_given: self.shared_given.clone(),
        }
    }
}

impl std::fmt::Debug for MergeState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MergeState")
            .field("files", &self.files.len())
            .field("creators", &self.creators.len())
            .finish_non_exhaustive()
    }
}

impl MergeState {
    /// [`Merger::new`].
    pub(crate) fn new(options: MergeOptions) -> Self {
        let phone_keys = PhoneKeys::new(options.region);
        let details = options.related_records;
        MergeState {
            options,
            files: Vec::new(),
            strings: StrInterner::default(),
            names: PartsArena::default(),
            addresses: PartsArena::default(),
            emails: Interner::default(),
            phones: Interner::default(),
            masks: Interner::default(),
            creators: Vec::new(),
            creator_index: IdIndex::default(),
            hasher: ahash::RandomState::with_seeds(7, 11, 13, 17),
            samples: Records::new(details),
            videos: Records::new(details),
            snapshots: Records::new(details),
            products: Records::new(details),
            brand_links: AHashSet::default(),
            video_products: SortedSet::default(),
            caches: Caches::default(),
            phone_keys,
            inputs: 0,
            shared_given: None,
        }
    }

    /// Counts `n` more inputs (rows, stored values or records) against [`MAX_INPUTS`],
    /// before they are taken.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Import`] `more than 268435456 rows and stored values in one
    /// merge` past [`MAX_INPUTS`]; nothing is counted then.
    pub(crate) fn take_inputs(&mut self, n: u64) -> Result<()> {
        match self.inputs.checked_add(n) {
            Some(total) if total <= MAX_INPUTS => {
                self.inputs = total;
                Ok(())
            }
            _ => Err(too_many_inputs()),
        }
    }

    /// [`Merger::options`].
    pub(crate) fn options(&self) -> &MergeOptions {
        &self.options
    }

    /// [`Merger::creator_count`].
    pub(crate) fn creator_count(&self) -> usize {
        self.creators.len()
    }

    /// Drops the per-file parse caches (done after every [`Merger::import_csv`]).
    pub(crate) fn clear_caches(&mut self) {
        self.caches = Caches::default();
    }

    /// The index of the file named `name`, registering it when new.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Import`] `too many files` past [`MAX_FILES`] distinct names.
    pub(crate) fn file_index(&mut self, name: &Arc<str>, kind: SourceKind) -> Result<u16> {
        let i = self.register_file(name, kind, false)?;
        if let Some(f) = self.files.get_mut(usize::from(i)) {
            f.seeded = false;
        }
        Ok(i)
    }

    /// The index of the file named `name`, registering it when new; a file registered
    /// here by `seeded` evidence stays out of the report until rows are imported from it.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Import`] `too many files` past [`MAX_FILES`] distinct names.
    pub(crate) fn register_file(
        &mut self,
        name: &Arc<str>,
        kind: SourceKind,
        seeded: bool,
    ) -> Result<u16> {
        let i = match self.files.iter().position(|f| f.name == *name) {
            Some(i) => i,
            None => {
                if self.files.len() >= MAX_FILES {
                    return Err(too_many_files());
                }
                self.files.push(FileState {
                    name: name.clone(),
                    report: FileReport::new(name.to_string(), kind),
                    rows: SeenRows::default(),
                    seeded,
                    seeded_lines: 0,
                });
                self.files.len() - 1
            }
        };
        u16::try_from(i).map_err(|_| too_many_files())
    }

    /// The creator index for `handle`, creating the creator when new.
    pub(crate) fn creator_for(&mut self, handle: HandleKey) -> u32 {
        let hash = self.hasher.hash_one(handle.as_str());
        match self.find_creator(hash, handle.as_str()) {
            Some(id) => id,
            None => self.push_creator(hash, handle),
        }
    }

    /// The creator index for the normalized handle `name`, creating the creator when new;
    /// `None` for a name longer than a handle can be (normalization never gives one).
    pub(crate) fn creator_for_name(&mut self, name: &str) -> Option<u32> {
        let hash = self.hasher.hash_one(name);
        if let Some(id) = self.find_creator(hash, name) {
            return Some(id);
        }
        Some(self.push_creator(hash, HandleKey::new(name)?))
    }

    fn find_creator(&self, hash: u64, name: &str) -> Option<u32> {
        let creators = &self.creators;
        self.creator_index.find(hash, |i| {
            creators.get(i as usize).is_some_and(|c| c.handle.is(name))
        })
    }

    fn push_creator(&mut self, hash: u64, handle: HandleKey) -> u32 {
        let id = next_id(self.creators.len());
        self.creators.push(CreatorAcc {
            handle,
            cands: Vec::new(),
            sources: 0,
        });
        self.creator_index.insert(hash, id);
        id
    }

    /// The [`IdKey`] of an id.
    pub(crate) fn id_key(&mut self, id: &str) -> IdKey {
        match numeric_id(id) {
            Some(n) => n,
            None => INTERNED_ID | u64::from(self.strings.intern(id)),
        }
    }

    /// Output order of ids: numeric ids in numeric order, before the other ids in byte order.
    pub(crate) fn id_order(&self, a: IdKey, b: IdKey) -> Ordering {
        match (a & INTERNED_ID == 0, b & INTERNED_ID == 0) {
            (true, true) => a.cmp(&b),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => {
                let s = |k: IdKey| self.strings.str(interned_id(k));
                s(a).cmp(s(b))
            }
        }
    }

    /// The text of an [`IdKey`].
    pub(crate) fn id_text(&self, key: IdKey) -> String {
        if key & INTERNED_ID == 0 {
            key.to_string()
        } else {
            self.strings.str(interned_id(key)).to_owned()
        }
    }

    /// Gives back the spare capacity of the record stores after a whole file: a large
    /// file leaves its vectors up to half empty, and that slack would otherwise be held
    /// through `finish`. Creators' candidate lists keep theirs (the next file mostly adds
    /// to them; [`super::Finish::CreatorsReleasing`] trims them).
    pub(crate) fn shrink_stores(&mut self) {
        self.samples.shrink_to_fit();
        self.videos.shrink_to_fit();
        self.snapshots.shrink_to_fit();
        self.products.shrink_to_fit();
        self.names.shrink_to_fit();
        self.addresses.shrink_to_fit();
        self.creators.shrink_to_fit();
    }
}

#[cfg(test)]
mod id_tests {
    use super::{INTERNED_ID, numeric_id};

    #[test]
    fn numeric_ids_are_exactly_those_that_print_back() {
        for (id, want) in [
            ("0", Some(0)),
            ("7", Some(7)),
            ("1729000000062", Some(1_729_000_000_062)),
            ("9223372036854775807", Some(INTERNED_ID - 1)),
            ("9223372036854775808", None),
            ("9999999999999999999", None),
            ("12345678901234567890", None),
            ("012", None),
            ("00", None),
            ("", None),
            ("+1", None),
            ("-1", None),
            ("1 2", None),
            ("12a", None),
        ] {
            assert_eq!(numeric_id(id), want, "{id}");
            if let Some(n) = want {
                assert_eq!(n.to_string(), id);
            }
        }
    }
}

#[cfg(test)]
mod packed_tests {
    use super::{Decimal, Packed, RecordHead, SnapHead, VideoDetail, VideoHead};

    #[test]
    fn packed_keeps_each_value_and_each_absence() {
        let p = Packed::new([Some(0u64), None, Some(u64::MAX), None, Some(7)]);
        let got: Vec<Option<u64>> = (0..5).map(|i| p.get(i)).collect();
        assert_eq!(got, [Some(0), None, Some(u64::MAX), None, Some(7)]);
        assert_eq!(p.get(5), None);
        let d = Packed::new([None, Some(Decimal::ZERO), Some(Decimal::new(-125, 2))]);
        assert_eq!(d.get(0), None);
        assert_eq!(d.get(1), Some(Decimal::ZERO));
        assert_eq!(d.get(2), Some(Decimal::new(-125, 2)));
        // What a merge without related records holds per record, index aside.
        assert_eq!(std::mem::size_of::<RecordHead>(), 24);
        assert_eq!(std::mem::size_of::<VideoHead>(), 40);
        assert_eq!(std::mem::size_of::<SnapHead>(), 56);
        assert!(std::mem::size_of::<VideoDetail>() <= 104);
    }
}
