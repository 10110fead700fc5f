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
//!    that fits it confirms it, one that does not is a `mask_mismatch` conflict.
//! 6. **Shared emails.** An email seen on `shared_email_threshold` creators or more is a
//!    team inbox, used by none of them.
//! 7. **Suppression.** A creator whose handle, or any email or full phone seen for them,
//!    matches a suppression entry is left out, with their related records.
//!
//! 8. **Losers are kept.** Every value but the winner is an alternate; a field whose
//!    values came from more than one source kind is a `different_values` conflict.
//!
//! Related records (samples, videos, snapshots, products) keep their newest row: later
//! observation, then higher priority, then the smaller `(file name, line)`.
//!
//! Where each rule is: rules 1–4 are one order, [`Ranker::survivor_order`], which both
//! keeps the better provenance of a value as rows arrive ([`Ranker::contact_order`]) and
//! ranks a creator's values at the end ([`MergeState::rank_all`]); rule 5 is
//! [`MergeState::settle_masks`], 6 [`MergeState::shared_emails`], 7
//! [`MergeState::is_suppressed`], 8 [`MergeState::pick`]; the order of related records is
//! [`Ranker::newest_order`]. Recording candidates as rows come is in `cands.rs`, the
//! finishing pass that builds the table in `resolve.rs`.

use std::cmp::Ordering;

use ahash::{AHashMap, AHashSet};

use super::{
    keyed::Records,
    model::{Alternate, Conflict, ConflictKind, Field, FieldProvenance},
    options::SourcePriority,
    resolve::masked_text,
    state::{Cand, CandField, CreatorAcc, FileState, HandleKey, MergeState, Prov},
};
use crate::{
    identity::{E164, MaskedPhone},
    import::SourceKind,
};

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

    /// The name of file `file`.
    ///
    /// # Panics
    /// Never for a provenance of this merger: a [`Prov`] names its file by the index
    /// [`MergeState::register_file`] gave it, files are never removed, and folding another
    /// merger in (`absorb.rs`) renumbers its provenances into this merger's table first.
    #[allow(clippy::expect_used)]
    pub(crate) fn file_name(&self, file: u16) -> &str {
        &self
            .files
            .get(usize::from(file))
            .expect("a provenance names a file of its own merger")
            .name
    }

    /// Rules 1–4: the survivorship order of two contact values by their provenances.
    /// `Greater` means `a` wins. Higher priority (rule 1), then the later observation
    /// (rule 2); between two manual values (equal ranks are one kind) the later edit, the
    /// larger `(file name, line)` (rule 3); then `smaller_value`, how `a`'s value compares
    /// to `b`'s as a winner (`Greater` when `a`'s is the smaller in byte order; `Equal`
    /// for one value), and last the smaller `(file name, line)` (rule 4).
    pub(crate) fn survivor_order(
        &self,
        a: &Prov,
        b: &Prov,
        smaller_value: impl FnOnce() -> Ordering,
    ) -> Ordering {
        let manual = a.kind == SourceKind::Manual && b.kind == SourceKind::Manual;
        self.priority
            .rank(a.kind)
            .cmp(&self.priority.rank(b.kind))
            .then(a.observed.cmp(&b.observed))
            .then_with(|| {
                if manual {
                    self.position_order(b, a)
                } else {
                    Ordering::Equal
                }
            })
            .then_with(smaller_value)
            .then_with(|| self.position_order(a, b))
    }

    /// [`Ranker::survivor_order`] of two provenances of one value: which provenance the
    /// value keeps. `Greater` means `a` wins.
    pub(crate) fn contact_order(&self, a: &Prov, b: &Prov) -> Ordering {
        self.survivor_order(a, b, || Ordering::Equal)
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

/// The run of `field` in candidates sorted by [`MergeState::rank_all`].
pub(super) fn of_field(ranked: &[Cand], field: CandField) -> &[Cand] {
    let start = ranked.partition_point(|c| c.field < field);
    let end = ranked.partition_point(|c| c.field <= field);
    ranked.get(start..end).unwrap_or(&[])
}

/// What survivorship writes of one creator beside its chosen values: the provenance of
/// each, the losing values, the conflicts.
pub(super) struct Outcome<'s> {
    pub(super) provenance: &'s mut Vec<FieldProvenance>,
    pub(super) alternates: &'s mut Vec<Alternate>,
    pub(super) conflicts: &'s mut Vec<Conflict>,
}

/// What rule 5 makes of a creator's masked phones.
pub(super) struct Masks {
    /// The mask shown when the creator has no full number.
    pub(super) shown: Option<MaskedPhone>,
    /// A mask fits the full number.
    pub(super) confirmed: bool,
}

impl MergeState {
    /// Compares provenances with this merger's priority and file names.
    pub(crate) fn ranker(&self) -> Ranker<'_> {
        Ranker::new(&self.options.priority, &self.files)
    }

    /// Byte order of two values of one field: the deterministic last tie-break (rule 4).
    pub(super) fn value_order(&self, field: CandField, a: u32, b: u32) -> Ordering {
        match field {
            CandField::Email => self.emails.get(a).as_str().cmp(self.emails.get(b).as_str()),
            CandField::Phone => self.phones.get(a).as_str().cmp(self.phones.get(b).as_str()),
            CandField::Masked => self.masks.get(a).cmp(self.masks.get(b)),
            CandField::Name => self.names.get(a).cmp(&self.names.get(b)),
            CandField::Address => self.addresses.get(a).cmp(&self.addresses.get(b)),
        }
    }

    /// Every candidate of `acc` (shared emails left out: rule 6) into `out`, grouped by
    /// field and sorted best first within each field by [`Ranker::survivor_order`];
    /// [`of_field`] picks one field's run.
    pub(super) fn rank_all(
        &self,
        ranker: &Ranker<'_>,
        acc: &CreatorAcc,
        skip: &AHashSet<u32>,
        out: &mut Vec<Cand>,
    ) {
        out.clear();
        out.extend(
            acc.cands
                .iter()
                .filter(|c| !(c.field == CandField::Email && skip.contains(&c.value))),
        );
        out.sort_by(|a, b| {
            a.field.cmp(&b.field).then_with(|| {
                ranker.survivor_order(&b.prov, &a.prov, || {
                    self.value_order(a.field, a.value, b.value)
                })
            })
        });
    }

    /// Rule 8 for one field of a creator: the first of `ranked`'s run of `field` wins
    /// (its provenance is recorded under `out_field`); every other value is an alternate,
    /// and values from more than one source kind are a `different_values` conflict, whose
    /// other kinds are listed by priority. The winner, if the field has a value.
    pub(super) fn pick<'r>(
        &self,
        ranked: &'r [Cand],
        field: CandField,
        out_field: Field,
        handle: HandleKey,
        out: &mut Outcome<'_>,
    ) -> Option<&'r Cand> {
        let (first, rest) = of_field(ranked, field).split_first()?;
        out.provenance.push(FieldProvenance {
            field: out_field,
            provenance: self.provenance(&first.prov),
        });
        let mut others = Vec::new();
        for c in rest {
            out.alternates.push(Alternate {
                field: out_field,
                value: self.value_text(field, c.value),
                provenance: self.provenance(&c.prov),
            });
            if !others.contains(&c.prov.kind) {
                others.push(c.prov.kind);
            }
        }
        if !others.is_empty() {
            others.sort_by_key(|k| std::cmp::Reverse(self.options.priority.rank(*k)));
            out.conflicts.push(Conflict {
                handle: handle.to_handle(),
                field: out_field,
                kind: ConflictKind::DifferentValues,
                chosen: first.prov.kind,
                others,
            });
        }
        Some(first)
    }

    /// Rule 5, masks as evidence about the full number. With a full number (`phone`: the
    /// number and the kind of its source), a mask that fits it confirms it; one that does
    /// not is an alternate, and those are a `mask_mismatch` conflict on the phone. Without
    /// one, the best mask is shown (its provenance recorded), the rest are alternates.
    pub(super) fn settle_masks(
        &self,
        ranked: &[Cand],
        phone: Option<(&E164, SourceKind)>,
        handle: HandleKey,
        out: &mut Outcome<'_>,
    ) -> Masks {
        let masks = of_field(ranked, CandField::Masked);
        let Some((number, chosen)) = phone else {
            let Some((first, rest)) = masks.split_first() else {
                return Masks {
                    shown: None,
                    confirmed: false,
                };
            };
            out.provenance.push(FieldProvenance {
                field: Field::MaskedPhone,
                provenance: self.provenance(&first.prov),
            });
            for m in rest {
                out.alternates.push(Alternate {
                    field: Field::MaskedPhone,
                    value: self.value_text(CandField::Masked, m.value),
                    provenance: self.provenance(&m.prov),
                });
            }
            return Masks {
                shown: Some(self.masks.get(first.value).clone()),
                confirmed: false,
            };
        };
        let mut confirmed = false;
        let mut mismatched = Vec::new();
        for m in masks {
            let mask = self.masks.get(m.value);
            if mask.is_consistent_with(number) {
                confirmed = true;
            } else {
                out.alternates.push(Alternate {
                    field: Field::MaskedPhone,
                    value: masked_text(mask),
                    provenance: self.provenance(&m.prov),
                });
                if !mismatched.contains(&m.prov.kind) {
                    mismatched.push(m.prov.kind);
                }
            }
        }
        if !mismatched.is_empty() {
            out.conflicts.push(Conflict {
                handle: handle.to_handle(),
                field: Field::Phone,
                kind: ConflictKind::MaskMismatch,
                chosen,
                others: mismatched,
            });
        }
        Masks {
            shown: None,
            confirmed,
        }
    }

    /// Rule 6: emails seen on `shared_email_threshold` creators or more (over every
    /// partition when a partitioned merge gave them).
    pub(super) fn shared_emails(&self) -> AHashSet<u32> {
        if let Some(given) = &self.shared_given {
            return given.clone();
        }
        let mut per_email: AHashMap<u32, usize> = AHashMap::default();
        for c in &self.creators {
            for cand in c.cands.iter().filter(|c| c.field == CandField::Email) {
                *per_email.entry(cand.value).or_insert(0) += 1;
            }
        }
        let threshold = self.options.shared_email_threshold.max(2);
        per_email
            .into_iter()
            .filter(|&(_, n)| n >= threshold)
            .map(|(e, _)| e)
            .collect()
    }

    /// Rule 7: whether a suppression entry matches the creator's handle, or any email or
    /// full phone seen for them.
    pub(super) fn is_suppressed(&self, acc: &CreatorAcc) -> bool {
        let s = &self.options.suppression;
        if s.is_empty() {
            return false;
        }
        if s.contains(&s.handle_text_hash(acc.handle.as_str())) {
            return true;
        }
        acc.cands.iter().any(|c| match c.field {
            CandField::Email => s.contains(&s.email_hash(self.emails.get(c.value))),
            CandField::Phone => s.contains(&s.phone_hash(self.phones.get(c.value))),
            _ => false,
        })
    }
}
