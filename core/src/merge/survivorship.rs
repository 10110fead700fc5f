//! The survivorship rules of the merge, in the order they apply (DESIGN.md, Merge).
//!
//! 1. **Priority.** Per contact field (email, phone, name, address) the value from the
//!    source of highest [`super::SourcePriority`] wins; `manual` always ranks first, so no
//!    import overwrites a manual edit ([`super::Merger::edit`]).
//! 2. **Recency.** Between values of one source kind, the later observation wins (the
//!    file's export time, else the row's own date; unknown sorts first).
//! 3. **Manual edits.** Between two manual values at the same time, the later edit wins.
//! 4. **Tie-break.** Then the smaller value in byte order, so the winner never depends on
//!    the order rows arrive in; of two rows with the same value, the smaller
//!    `(file name, line)` is kept as its provenance.
//! 5. **Masks.** A full number beats a masked one and makes the phone verified; a mask
//!    that fits it confirms it, one that does not is a `mask_mismatch` conflict
//!    (`resolve`).
//! 6. **Shared emails.** An email seen on `shared_email_threshold` creators or more is a
//!    team inbox, used by none of them.
//! 7. **Suppression.** A creator whose handle, or any email or full phone seen for them,
//!    matches a suppression entry is left out, with their related records.
//!
//! Related records (samples, videos, snapshots, products) keep their newest row: later
//! observation, then higher priority, then the smaller `(file name, line)`.

use std::cmp::Ordering;

use ahash::{AHashMap, AHashSet};

use super::state::MergeState;
use super::{
    SourcePriority,
    keyed::Records,
    parts::{AddressKey, NameKey, PartsArena, TextParts},
    state::{Cand, CandField, CreatorAcc, FileState, Prov},
};
use crate::import::SourceKind;

/// Orders provenances; borrows only the priority and the file table so record maps can be
/// updated while it is held.
pub(crate) struct Ranker<'a> {
    priority: &'a SourcePriority,
    files: &'a [FileState],
}

impl<'a> Ranker<'a> {
    pub(crate) fn new(priority: &'a SourcePriority, files: &'a [FileState]) -> Self {
        Ranker { priority, files }
    }

    pub(crate) fn file_name(&self, file: u16) -> &str {
        self.files.get(usize::from(file)).map_or("", |f| &f.name)
    }

    /// Survivorship order of two provenances of contact values: higher priority, then later
    /// observation, then the smaller `(file name, line)`. `Greater` means `a` wins.
    ///
    /// Between two manual values (equal ranks are one kind) the position order is
    /// reversed: the later edit, the larger line, wins, so that an edit replaces the
    /// edits before it.
    pub(crate) fn contact_order(&self, a: &Prov, b: &Prov) -> Ordering {
        let p = self.priority;
        p.rank(a.kind)
            .cmp(&p.rank(b.kind))
            .then(a.observed.cmp(&b.observed))
            .then_with(|| {
                if a.kind == SourceKind::Manual && b.kind == SourceKind::Manual {
                    self.position_order(b, a)
                } else {
                    self.position_order(a, b)
                }
            })
    }

    /// Order of two rows of the same related record: later observation, then higher
    /// priority, then the smaller `(file name, line)`. `Greater` means `a` wins.
    pub(crate) fn newest_order(&self, a: &Prov, b: &Prov) -> Ordering {
        let p = self.priority;
        a.observed
            .cmp(&b.observed)
            .then(p.rank(a.kind).cmp(&p.rank(b.kind)))
            .then_with(|| self.position_order(a, b))
    }

    /// The smaller `(file name, line)` is `Greater` (it wins).
    pub(crate) fn position_order(&self, a: &Prov, b: &Prov) -> Ordering {
        if a.file == b.file {
            return b.line.cmp(&a.line);
        }
        self.file_name(b.file)
            .cmp(self.file_name(a.file))
            .then(b.line.cmp(&a.line))
    }

    /// Keeps the record `(head, detail)` under `key` in `store` when it is newer than
    /// what is there (at once, or when the store is settled: [`Records::add`]).
    pub(crate) fn keep_newest<K, H, D>(
        &self,
        store: &mut Records<K, H, D>,
        key: K,
        head: H,
        detail: D,
        prov: impl Fn(&H) -> Prov,
    ) where
        K: std::hash::Hash + Ord,
    {
        store.add(key, head, Some(detail), |new, old| {
            self.newest_order(&prov(new), &prov(old)) == Ordering::Greater
        });
    }
}

impl MergeState {
    /// Compares provenances with this merger's priority and file names.
    pub(crate) fn ranker(&self) -> Ranker<'_> {
        Ranker::new(&self.options.priority, &self.files)
    }

    /// Records a candidate value for a creator field.
    pub(crate) fn add_cand(&mut self, creator: u32, field: CandField, value: u32, prov: Prov) {
        let ranker = Ranker::new(&self.options.priority, &self.files);
        let Some(c) = self.creators.get_mut(creator as usize) else {
            return;
        };
        match c
            .cands
            .iter_mut()
            .find(|x| x.field == field && x.value == value)
        {
            Some(x) => {
                if ranker.contact_order(&prov, &x.prov) == Ordering::Greater {
                    x.prov = prov;
                }
            }
            None => c.cands.push(Cand { field, value, prov }),
        }
    }

    /// Records a name for a creator: a name the creator already has keeps its candidate
    /// (with the better provenance), a new one is stored.
    pub(crate) fn add_name(&mut self, creator: u32, name: &NameKey, prov: Prov) {
        let ranker = Ranker::new(&self.options.priority, &self.files);
        if let Some(c) = self.creators.get_mut(creator as usize) {
            add_parts_cand(&ranker, c, CandField::Name, &mut self.names, name, prov);
        }
    }

    /// Records an address for a creator, as [`Merger::add_name`] does a name.
    pub(crate) fn add_address(&mut self, creator: u32, address: &AddressKey, prov: Prov) {
        let ranker = Ranker::new(&self.options.priority, &self.files);
        if let Some(c) = self.creators.get_mut(creator as usize) {
            add_parts_cand(
                &ranker,
                c,
                CandField::Address,
                &mut self.addresses,
                address,
                prov,
            );
        }
    }

    /// Settles the records rows added since the last call ([`Records::settle`]): done
    /// after every file and every in-memory row, so that the stores are whole whenever
    /// they are read.
    pub(crate) fn settle_records(&mut self) {
        let ranker = Ranker::new(&self.options.priority, &self.files);
        let newer = |new: &Prov, old: &Prov| ranker.newest_order(new, old) == Ordering::Greater;
        self.samples.settle(|n, o| newer(&n.prov, &o.prov));
        self.videos.settle(|n, o| newer(&n.prov, &o.prov));
        self.snapshots.settle(|n, o| newer(&n.prov, &o.prov));
        self.products.settle(|n, o| newer(&n.prov, &o.prov));
    }

    /// Byte order of two values of one field: the deterministic last tie-break.
    pub(super) fn value_order(&self, field: CandField, a: u32, b: u32) -> Ordering {
        match field {
            CandField::Email => self
                .emails
                .get(a)
                .map(|e| e.as_str())
                .cmp(&self.emails.get(b).map(|e| e.as_str())),
            CandField::Phone => self
                .phones
                .get(a)
                .map(|e| e.as_str())
                .cmp(&self.phones.get(b).map(|e| e.as_str())),
            CandField::Masked => self.masks.get(a).cmp(&self.masks.get(b)),
            CandField::Name => self.names.get(a).cmp(&self.names.get(b)),
            CandField::Address => self.addresses.get(a).cmp(&self.addresses.get(b)),
        }
    }

    /// Every candidate of `acc` (shared emails left out) into `out`, grouped by field and
    /// sorted best first within each field; [`of_field`] picks one field's run.
    pub(super) fn rank_all(
        &self,
        ranker: &Ranker<'_>,
        acc: &CreatorAcc,
        skip: &AHashSet<u32>,
        out: &mut Vec<Cand>,
    ) {
        let p = &self.options.priority;
        out.clear();
        out.extend(
            acc.cands
                .iter()
                .filter(|c| !(c.field == CandField::Email && skip.contains(&c.value))),
        );
        out.sort_by(|a, b| {
            a.field
                .cmp(&b.field)
                .then(p.rank(b.prov.kind).cmp(&p.rank(a.prov.kind)))
                .then(b.prov.observed.cmp(&a.prov.observed))
                // Between manual values (equal ranks are one kind), the later edit first.
                .then_with(|| {
                    if a.prov.kind == SourceKind::Manual {
                        ranker.position_order(&a.prov, &b.prov)
                    } else {
                        Ordering::Equal
                    }
                })
                .then_with(|| self.value_order(a.field, a.value, b.value))
                .then_with(|| ranker.position_order(&b.prov, &a.prov))
        });
    }

    /// Emails seen on `shared_email_threshold` creators or more.
    pub(super) fn shared_emails(&self) -> AHashSet<u32> {
        let mut per_email: AHashMap<u32, u32> = AHashMap::default();
        for c in &self.creators {
            for cand in c.cands.iter().filter(|c| c.field == CandField::Email) {
                *per_email.entry(cand.value).or_insert(0) += 1;
            }
        }
        let threshold =
            u32::try_from(self.options.shared_email_threshold.max(2)).unwrap_or(u32::MAX);
        per_email
            .into_iter()
            .filter(|&(_, n)| n >= threshold)
            .map(|(e, _)| e)
            .collect()
    }

    pub(super) fn is_suppressed(&self, acc: &CreatorAcc) -> bool {
        let s = &self.options.suppression;
        if s.is_empty() {
            return false;
        }
        if s.contains(&s.handle_text_hash(acc.handle.as_str())) {
            return true;
        }
        acc.cands.iter().any(|c| match c.field {
            CandField::Email => self
                .emails
                .get(c.value)
                .is_some_and(|e| s.contains(&s.email_hash(e))),
            CandField::Phone => self
                .phones
                .get(c.value)
                .is_some_and(|p| s.contains(&s.phone_hash(p))),
            _ => false,
        })
    }
}

/// Records the value `key` of `field` (a name or an address, stored in `arena`) for
/// creator `c`: a value the creator already has keeps its candidate, with the better
/// provenance; a new one is stored.
fn add_parts_cand<const N: usize>(
    ranker: &Ranker<'_>,
    c: &mut CreatorAcc,
    field: CandField,
    arena: &mut PartsArena<N>,
    key: &TextParts<N>,
    prov: Prov,
) {
    match c
        .cands
        .iter_mut()
        .find(|x| x.field == field && arena.holds(x.value, key))
    {
        Some(x) => {
            if ranker.contact_order(&prov, &x.prov) == Ordering::Greater {
                x.prov = prov;
            }
        }
        None => c.cands.push(Cand {
            field,
            value: arena.push(key),
            prov,
        }),
    }
}
