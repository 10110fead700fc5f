//! A merger's state as plain values, and back: what a store keeps so that importing
//! into stored creators equals merging everything at once.
//!
//! [`Merger::evidence`] gives every creator's evidence — each distinct value seen for a
//! field with its best provenance, and the sources the creator was seen in — and
//! [`Merger::related_records`] every related record with the row it came from.
//! [`Merger::add_evidence`] and [`Merger::add_related`](super::Merger::add_related) put them back through the same
//! rules a row goes through, so a merger seeded with what an earlier merge stored, then
//! given new files, finishes exactly as one merger given every file would
//! (`tests/it/store_incremental.rs` holds it to that). Files known only from evidence
//! are left out of the report: it describes what was imported, not what was stored.

use std::{collections::BTreeSet, fmt};

use chrono::Datelike;
use compact_str::CompactString;
use serde::{Deserialize, Serialize};

use super::state::MergeState;
use super::{
    model::{BrandLink, Product, Provenance, Sample, Snapshot, Video, VideoProduct},
    parts::{AddressKey, NameKey},
    state::{
        CandField, Packed, ProductAcc, Prov, RecordHead, SampleDetail, SnapDetail, SnapHead,
        VideoDetail, VideoHead, to_secs,
    },
    survivorship::Ranker,
};
use crate::{
    error::{Error, ErrorKind, Result},
    identity::{E164, Email, Handle, MaskedPhone, PostalAddress},
    import::SourceKind,
};

/// One distinct value seen for a creator field; serialized as
/// `{"field": "email", "value": ...}`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "field", content = "value", rename_all = "snake_case")]
pub enum EvidenceValue {
    /// An email address.
    Email(Email),
    /// A full phone number.
    Phone(E164),
    /// A masked phone number.
    MaskedPhone(MaskedPhone),
    /// A person name, decided as a whole.
    Name {
        /// Given name (may be empty).
        first: CompactString,
        /// Family name (may be empty).
        last: CompactString,
    },
    /// A postal address, decided as a whole.
    Address(PostalAddress),
}

impl EvidenceValue {
    /// The field this is a value of.
    pub fn field(&self) -> super::Field {
        use super::Field;
        match self {
            EvidenceValue::Email(_) => Field::Email,
            EvidenceValue::Phone(_) => Field::Phone,
            EvidenceValue::MaskedPhone(_) => Field::MaskedPhone,
            EvidenceValue::Name { .. } => Field::Name,
            EvidenceValue::Address(_) => Field::Address,
        }
    }
}

impl fmt::Debug for EvidenceValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(<redacted>)", self.field())
    }
}

/// A value with the best provenance it was seen with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The value (serialized flat: `{"field": ..., "value": ..., "provenance": ...}`).
    #[serde(flatten)]
    pub value: EvidenceValue,
    /// Where it was seen (the best of its sightings by survivorship order).
    pub provenance: Provenance,
}

/// Everything a merge knows of one creator's fields: the input of survivorship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatorEvidence {
    /// The creator.
    pub handle: Handle,
    /// The source kinds the creator was seen in (sorted, distinct).
    pub sources: Vec<SourceKind>,
    /// Every distinct value of every field, in a deterministic order (field, then value).
    pub values: Vec<Evidence>,
}

impl CreatorEvidence {
    /// The emails among the values.
    pub fn emails(&self) -> impl Iterator<Item = &Email> {
        self.values.iter().filter_map(|e| match &e.value {
            EvidenceValue::Email(m) => Some(m),
            _ => None,
        })
    }
}

/// A merge's related records: samples, videos, their product links, snapshots, brand
/// links and products.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RelatedRecords {
    /// Samples.
    pub samples: Vec<Sample>,
    /// Videos.
    pub videos: Vec<Video>,
    /// Video-product links.
    pub video_products: Vec<VideoProduct>,
    /// Metric snapshots.
    pub snapshots: Vec<Snapshot>,
    /// Brand links.
    pub brand_links: Vec<BrandLink>,
    /// Products.
    pub products: Vec<Product>,
}

impl RelatedRecords {
    /// True when there is no record at all.
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
            && self.videos.is_empty()
            && self.video_products.is_empty()
            && self.snapshots.is_empty()
            && self.brand_links.is_empty()
            && self.products.is_empty()
    }

    /// Adds `other`'s records (no deduplication: [`Merger::add_related`](super::Merger::add_related) dedupes).
    pub fn extend(&mut self, other: RelatedRecords) {
        self.samples.extend(other.samples);
        self.videos.extend(other.videos);
        self.video_products.extend(other.video_products);
        self.snapshots.extend(other.snapshots);
        self.brand_links.extend(other.brand_links);
        self.products.extend(other.products);
    }
}

/// The keys of a merger's records that are not a creator's handle: records with these
/// keys in a store may belong to other creators, and a new row with the same key can
/// replace them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordKeys {
    /// `(order_id, sku_id)` of samples.
    pub samples: BTreeSet<(String, String)>,
    /// Video ids.
    pub videos: BTreeSet<String>,
    /// Product ids.
    pub products: BTreeSet<String>,
}

fn bad_evidence(field: &'static str, reason: &'static str) -> Error {
    Error::new(ErrorKind::InvalidInput, reason).with_field(field)
}

impl MergeState {
    /// [`Merger::evidence`].
    pub(crate) fn evidence(&self) -> Vec<CreatorEvidence> {
        let mut out: Vec<CreatorEvidence> = self
            .creators
            .iter()
            .map(|acc| {
                let mut values: Vec<Evidence> = acc
                    .cands
                    .iter()
                    .map(|c| Evidence {
                        value: self.evidence_value(c.field, c.value),
                        provenance: self.provenance(&c.prov),
                    })
                    .collect();
                values.sort_by(|a, b| {
                    a.value
                        .field()
                        .cmp(&b.value.field())
                        .then_with(|| evidence_key(&a.value).cmp(&evidence_key(&b.value)))
                });
                let mut sources: Vec<SourceKind> = SourceKind::ALL
                    .into_iter()
                    .filter(|k| acc.sources & source_bit(*k) != 0)
                    .collect();
                sources.sort();
                CreatorEvidence {
                    handle: acc.handle.to_handle(),
                    sources,
                    values,
                }
            })
            .collect();
        out.sort_by(|a, b| a.handle.cmp(&b.handle));
        out
    }

    fn evidence_value(&self, field: CandField, id: u32) -> EvidenceValue {
        match field {
            CandField::Email => EvidenceValue::Email(self.emails.get(id).clone()),
            CandField::Phone => EvidenceValue::Phone(self.phones.get(id).clone()),
            CandField::Masked => EvidenceValue::MaskedPhone(self.masks.get(id).clone()),
            CandField::Name => {
                let [first, last] = self.names.get(id);
                EvidenceValue::Name {
                    first: first.into(),
                    last: last.into(),
                }
            }
            CandField::Address => {
                let [line1, line2, city, state, zip, country] = self.addresses.get(id);
                EvidenceValue::Address(PostalAddress {
                    line1: line1.into(),
                    line2: line2.into(),
                    city: city.into(),
                    state: state.into(),
                    zip: zip.into(),
                    country: country.into(),
                })
            }
        }
    }

    /// [`Merger::related_records`].
    pub(crate) fn related_records(&self) -> RelatedRecords {
        if !self.samples.has_details() {
            return RelatedRecords::default();
        }
        self.related(&vec![true; self.creators.len()])
    }

    /// [`Merger::handles`].
    pub(crate) fn handles(&self) -> Vec<Handle> {
        let mut out: Vec<Handle> = self.creators.iter().map(|c| c.handle.to_handle()).collect();
        out.sort();
        out
    }

    /// [`Merger::emails`].
    pub(crate) fn emails(&self) -> Vec<Email> {
        let mut ids: Vec<u32> = self
            .creators
            .iter()
            .flat_map(|c| c.cands.iter())
            .filter(|c| c.field == CandField::Email)
            .map(|c| c.value)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut out: Vec<Email> = ids.iter().map(|&i| self.emails.get(i).clone()).collect();
        out.sort();
        out
    }

    /// [`Merger::record_keys`].
    pub(crate) fn record_keys(&self) -> RecordKeys {
        RecordKeys {
            samples: self
                .samples
                .heads()
                .keys()
                .map(|&(o, s)| (self.id_text(o), self.id_text(s)))
                .collect(),
            videos: self
                .videos
                .heads()
                .keys()
                .map(|&v| self.id_text(v))
                .collect(),
            products: self
                .products
                .heads()
                .keys()
                .map(|&p| self.id_text(p))
                .collect(),
        }
    }

    /// The compact provenance of `p`, its file registered as known from evidence.
    fn seed_prov(&mut self, p: &Provenance) -> Result<Prov> {
        let line = u32::try_from(p.line).map_err(|_| bad_evidence("line", "line out of range"))?;
        let file = self.register_file(&p.file, p.source, true)?;
        if let Some(f) = self.files.get_mut(usize::from(file)) {
            f.seeded_lines = f.seeded_lines.max(p.line);
        }
        Ok(Prov {
            kind: p.source,
            file,
            line,
            observed: to_secs(p.observed_at),
        })
    }

    /// [`Merger::add_evidence`].
    pub(crate) fn add_evidence(&mut self, evidence: &CreatorEvidence) -> Result<()> {
        self.take_inputs(1 + evidence.values.len() as u64)?;
        let id = self
            .creator_for_name(evidence.handle.as_str())
            .ok_or_else(|| bad_evidence("handle", "not a handle"))?;
        let bits = evidence
            .sources
            .iter()
            .fold(0u8, |bits, k| bits | source_bit(*k));
        if let Some(c) = self.creators.get_mut(id as usize) {
            c.sources |= bits;
        }
        let (mut name, mut address) = (NameKey::default(), AddressKey::default());
        for e in &evidence.values {
            let prov = self.seed_prov(&e.provenance)?;
            match &e.value {
                EvidenceValue::Email(m) => {
                    let v = self.emails.intern_with(m.as_str(), || m.clone());
                    self.add_cand(id, CandField::Email, v, prov);
                }
                EvidenceValue::Phone(p) => {
                    let v = self.phones.intern_with(p.as_str(), || p.clone());
                    self.add_cand(id, CandField::Phone, v, prov);
                }
                EvidenceValue::MaskedPhone(m) => {
                    let v = self.masks.intern_with(m, || m.clone());
                    self.add_cand(id, CandField::Masked, v, prov);
                }
                EvidenceValue::Name { first, last } => {
                    name.set([first, last]);
                    self.add_name(id, &name, prov);
                }
                EvidenceValue::Address(a) => {
                    address.set([&a.line1, &a.line2, &a.city, &a.state, &a.zip, &a.country]);
                    self.add_address(id, &address, prov);
                }
            }
        }
        Ok(())
    }

    /// [`Merger::add_related`](super::Merger::add_related).
    pub(crate) fn add_related(&mut self, records: &RelatedRecords) -> Result<()> {
        let r = records;
        let n = [
            r.samples.len(),
            r.videos.len(),
            r.video_products.len(),
            r.snapshots.len(),
            r.brand_links.len(),
            r.products.len(),
        ];
        self.take_inputs(n.iter().map(|&n| n as u64).sum())?;
        let creator = |m: &mut MergeState, h: &Handle| {
            m.creator_for_name(h.as_str())
                .ok_or_else(|| bad_evidence("handle", "not a handle"))
        };
        for s in &records.samples {
            let prov = self.seed_prov(&s.provenance)?;
            let head = RecordHead {
                creator: creator(self, &s.handle)?,
                prov,
            };
            let detail = SampleDetail {
                product_name: s.product_name.as_deref().map(|t| self.strings.intern(t)),
                variation: s.variation.as_deref().map(|t| self.strings.intern(t)),
                quantity: s.quantity,
                status: s.status.as_deref().map(|t| self.strings.intern(t)),
                created: to_secs(s.created_at),
                shipped: to_secs(s.shipped_at),
                delivered: to_secs(s.delivered_at),
            };
            let key = (self.id_key(&s.order_id), self.id_key(&s.sku_id));
            let ranker = Ranker::new(&self.options.priority, &self.files);
            ranker.keep_newest(&mut self.samples, key, head, detail, |r| r.prov);
        }
        for v in &records.videos {
            let prov = self.seed_prov(&v.provenance)?;
            let head = VideoHead {
                creator: creator(self, &v.handle)?,
                gmv: v.gmv,
                prov,
            };
            let detail = VideoDetail {
                name: v.name.as_deref().map(|t| self.strings.intern(t)),
                posted: to_secs(v.posted_at),
                counts: Packed::new([v.items_sold, v.orders, v.impressions, v.likes, v.comments]),
                amounts: Packed::new([v.ctr, v.commission]),
            };
            let key = self.id_key(&v.video_id);
            let ranker = Ranker::new(&self.options.priority, &self.files);
            ranker.keep_newest(&mut self.videos, key, head, detail, |r| r.prov);
        }
        for l in &records.video_products {
            let key = (self.id_key(&l.video_id), self.id_key(&l.product_id));
            self.video_products.push(key);
        }
        self.video_products.compact();
        for s in &records.snapshots {
            let prov = self.seed_prov(&s.provenance)?;
            let head = SnapHead {
                followers: s.followers,
                gmv: s.gmv,
                prov,
            };
            let detail = SnapDetail {
                emv: s.emv,
                total_posts: s.total_posts,
                likes: s.likes,
                comments: s.comments,
                shares: s.shares,
                engagement: s.engagement,
                impressions: s.impressions,
                last_post: s.last_post,
            };
            let day = s.date.map_or(i32::MIN, |d| d.num_days_from_ce());
            let key = (creator(self, &s.handle)?, day, s.source);
            let ranker = Ranker::new(&self.options.priority, &self.files);
            ranker.keep_newest(&mut self.snapshots, key, head, detail, |r| r.prov);
        }
        for b in &records.brand_links {
            let link = (self.strings.intern(&b.brand), creator(self, &b.handle)?);
            self.brand_links.insert(link);
        }
        for p in &records.products {
            let prov = self.seed_prov(&p.provenance)?;
            let acc = ProductAcc {
                name: p.name.as_deref().map(|t| self.strings.intern(t)),
                gmv: p.gmv,
                items_sold: p.items_sold,
                orders: p.orders,
                prov,
            };
            let key = self.id_key(&p.product_id);
            let ranker = Ranker::new(&self.options.priority, &self.files);
            ranker.keep_newest(&mut self.products, key, acc, (), |r| r.prov);
        }
        self.settle_records();
        Ok(())
    }
}

/// The bit of a source kind in a creator's source set.
fn source_bit(kind: SourceKind) -> u8 {
    1u8.checked_shl(kind as u32).unwrap_or(0)
}

/// A value's sort key within its field: its text parts.
fn evidence_key(v: &EvidenceValue) -> Vec<&str> {
    match v {
        EvidenceValue::Email(e) => vec![e.as_str()],
        EvidenceValue::Phone(p) => vec![p.as_str()],
        EvidenceValue::MaskedPhone(m) => vec![&m.prefix, &m.suffix],
        EvidenceValue::Name { first, last } => vec![first, last],
        EvidenceValue::Address(a) => {
            vec![&a.line1, &a.line2, &a.city, &a.state, &a.zip, &a.country]
        }
    }
}
