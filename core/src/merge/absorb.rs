//! Importing several files at once on several threads.
//!
//! Each thread imports its share of the files into a [`Merger`] of its own; the mergers
//! are then folded into one ([`Merger::absorb`]). A merger's state is a set of
//! candidates and keyed records whose resolution never depends on arrival order, so
//! folding re-adds the other merger's values (with their ids translated into this
//! merger's) through the same rules a row goes through, and the result equals importing
//! every file into one merger (`tests/it/merge_laws.rs` holds it to that).

use std::{hash::Hash, io::Read, sync::Arc};

use super::state::MergeState;
use super::{
    ImportInput,
    keyed::Records,
    parts::{AddressKey, NameKey},
    state::{
        CandField, INTERNED_ID, IdKey, MAX_FILES, MAX_INPUTS, Prov, interned_id, too_many_files,
        too_many_inputs,
    },
    survivorship::Ranker,
};
use crate::error::{Error, ErrorKind, Result};

impl MergeState {
    /// [`Merger::import_many`].
    pub(crate) fn import_many<R: Read + Send>(
        &mut self,
        inputs: Vec<ImportInput<R>>,
        threads: usize,
    ) -> Result<()> {
        let threads = threads.clamp(1, inputs.len().max(1));
        if threads == 1 {
            let mut first_err = None;
            for ImportInput {
                file,
                reader,
                size_hint,
            } in inputs
            {
                if let Err(e) = self.import_sized(&file, reader, size_hint) {
                    first_err.get_or_insert(e);
                }
            }
            return first_err.map_or(Ok(()), Err);
        }
        let shares = share_out(&inputs, threads);
        let mut slots: Vec<Option<ImportInput<R>>> = inputs.into_iter().map(Some).collect();
        let work: Vec<Vec<(usize, ImportInput<R>)>> = shares
            .into_iter()
            .map(|share| {
                share
                    .into_iter()
                    .filter_map(|i| slots.get_mut(i)?.take().map(|input| (i, input)))
                    .collect()
            })
            .collect();
        self.import_in_shares(work, |merger, input| {
            let ImportInput {
                file,
                reader,
                size_hint,
            } = input;
            merger.import_sized(&file, reader, size_hint)
        })
    }

    /// Imports each share of `work` (inputs with their input index) into a merger of its
    /// own, one scoped thread per share, with `import`; then folds those mergers into
    /// this one. Every input is imported; the error is the first failing input's, in
    /// input order.
    pub(super) fn import_in_shares<I: Send>(
        &mut self,
        work: Vec<Vec<(usize, I)>>,
        import: impl Fn(&mut MergeState, I) -> Result<()> + Sync,
    ) -> Result<()> {
        let (options, import) = (&self.options, &import);
        type Share = (MergeState, Vec<(usize, Error)>);
        let results: Vec<std::thread::Result<Share>> = std::thread::scope(|scope| {
            let handles: Vec<_> = work
                .into_iter()
                .filter(|share| !share.is_empty())
                .map(|share| {
                    scope.spawn(move || {
                        let mut merger = MergeState::new(options.clone());
                        let mut errors = Vec::new();
                        for (i, input) in share {
                            if let Err(e) = import(&mut merger, input) {
                                errors.push((i, e));
                            }
                        }
                        (merger, errors)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join()).collect()
        });
        let mut errors = Vec::new();
        for result in results {
            match result {
                Ok((mut merger, errs)) => {
                    // Fold the smaller state into the larger one: folding re-adds every
                    // value of the absorbed merger.
                    if merger.size() > self.size() {
                        std::mem::swap(self, &mut merger);
                    }
                    if let Err(e) = self.absorb(merger) {
                        errors.push((usize::MAX, e));
                    }
                    errors.extend(errs);
                }
                Err(_) => errors.push((
                    usize::MAX,
                    Error::new(ErrorKind::Import, "an import thread panicked"),
                )),
            }
        }
        errors.sort_by_key(|(i, _)| *i);
        errors.into_iter().next().map_or(Ok(()), |(_, e)| Err(e))
    }

    /// Rows' worth of state held, to decide which of two mergers to fold into the other.
    fn size(&self) -> usize {
        self.creators.len() + self.samples.len() + self.videos.len() + self.snapshots.len()
    }

    /// Folds `other` (built with the same options) into this merger; rows of a file both
    /// have seen meet as if read in turn.
    ///
    /// # Errors
    /// `too many files` when the two have more than [`MAX_FILES`] names between them, and
    /// the error of [`MAX_INPUTS`] when they have taken more inputs between them; nothing
    /// is folded then.
    pub(crate) fn absorb(&mut self, other: MergeState) -> Result<()> {
        // The other merger's inputs count here (nothing is folded past the limit).
        let inputs = self.inputs.saturating_add(other.inputs);
        if inputs > MAX_INPUTS {
            return Err(too_many_inputs());
        }
        let MergeState {
            files,
            strings,
            names,
            addresses,
            emails,
            phones,
            masks,
            creators,
            samples,
            videos,
            snapshots,
            products,
            brand_links,
            video_products,
            ..
        } = other;
        // Files: registered here by name, reports carried over. Checked first, so that
        // nothing is folded when the files would not fit.
        let new = files
            .iter()
            .filter(|f| !self.files.iter().any(|m| m.name == f.name))
            .count();
        if self.files.len() + new > MAX_FILES {
            return Err(too_many_files());
        }
        self.inputs = inputs;
        let mut file_map: Vec<u16> = Vec::with_capacity(files.len());
        for f in files {
            let i = self.file_index(&f.name, f.report.kind)?;
            if let Some(mine) = self.files.get_mut(usize::from(i)) {
                merge_file_report(&mut mine.report, f.report);
                mine.report.duplicates_collapsed += mine.rows.absorb(f.rows);
            }
            file_map.push(i);
        }
        let prov = |p: Prov| Prov {
            file: mapped(&file_map, usize::from(p.file)),
            ..p
        };
        // Interned values: each of the other merger's ids → this merger's id.
        let string_map: Vec<u32> = strings.iter().map(|s| self.strings.intern(s)).collect();
        let email_map: Vec<u32> = emails
            .into_items()
            .into_iter()
            .map(|e| self.emails.intern_with(e.as_str(), || e.clone()))
            .collect();
        let phone_map: Vec<u32> = phones
            .into_items()
            .into_iter()
            .map(|p| self.phones.intern_with(p.as_str(), || p.clone()))
            .collect();
        let mask_map: Vec<u32> = masks
            .into_items()
            .into_iter()
            .map(|m| self.masks.intern_with(&m, || m.clone()))
            .collect();
        let s = |id: u32| mapped(&string_map, id as usize);
        let opt_s = |id: Option<u32>| id.map(s);
        let key = |k: IdKey| {
            if k & INTERNED_ID == 0 {
                k
            } else {
                let id = interned_id(k);
                INTERNED_ID | u64::from(s(id))
            }
        };
        // Creators and their candidates, through the same rules a row goes through.
        let mut creator_map = Vec::with_capacity(creators.len());
        let (mut name, mut address) = (NameKey::default(), AddressKey::default());
        for acc in creators {
            let id = self.creator_for(acc.handle);
            if let Some(c) = self.creators.get_mut(id as usize) {
                c.sources |= acc.sources;
            }
            for cand in acc.cands {
                let map = match cand.field {
                    CandField::Email => &email_map,
                    CandField::Phone => &phone_map,
                    CandField::Masked => &mask_map,
                    CandField::Name => {
                        name.set(names.get(cand.value));
                        self.add_name(id, &name, prov(cand.prov));
                        continue;
                    }
                    CandField::Address => {
                        address.set(addresses.get(cand.value));
                        self.add_address(id, &address, prov(cand.prov));
                        continue;
                    }
                };
                let value = mapped(map, cand.value as usize);
                self.add_cand(id, cand.field, value, prov(cand.prov));
            }
            creator_map.push(id);
        }
        let c = |id: u32| mapped(&creator_map, id as usize);
        // Related records: newest row per key, as on import.
        let ranker = Ranker::new(&self.options.priority, &self.files);
        fold(
            &mut self.samples,
            samples,
            &ranker,
            |r| r.prov,
            |(order, sku), mut h, d| {
                h.creator = c(h.creator);
                h.prov = prov(h.prov);
                let d = d.map(|mut d| {
                    d.product_name = opt_s(d.product_name);
                    d.variation = opt_s(d.variation);
                    d.status = opt_s(d.status);
                    d
                });
                ((key(order), key(sku)), h, d)
            },
        );
        fold(
            &mut self.videos,
            videos,
            &ranker,
            |r| r.prov,
            |id, mut h, d| {
                h.creator = c(h.creator);
                h.prov = prov(h.prov);
                let d = d.map(|mut d| {
                    d.name = opt_s(d.name);
                    d
                });
                (key(id), h, d)
            },
        );
        fold(
            &mut self.snapshots,
            snapshots,
            &ranker,
            |r| r.prov,
            |(cr, day, kind), mut h, d| {
                h.prov = prov(h.prov);
                ((c(cr), day, kind), h, d)
            },
        );
        fold(
            &mut self.products,
            products,
            &ranker,
            |r| r.prov,
            |id, mut h, d| {
                h.name = opt_s(h.name);
                h.prov = prov(h.prov);
                (key(id), h, d)
            },
        );
        self.brand_links
            .extend(brand_links.into_iter().map(|(b, cr)| (s(b), c(cr))));
        self.video_products.extend(
            video_products
                .distinct()
                .iter()
                .map(|&(v, p)| (key(v), key(p))),
        );
        self.video_products.compact();
        self.shrink_stores();
        Ok(())
    }
}

/// Adds the records of `other`, ids translated by `translate`, to `store`: newest row per
/// key, as on import. A store with nothing in it yet (the usual case: each kind of record
/// comes from one kind of file) takes the other store over whole, translated in place.
fn fold<K: Hash + Ord, H, D>(
    store: &mut Records<K, H, D>,
    other: Records<K, H, D>,
    ranker: &Ranker<'_>,
    prov: fn(&H) -> Prov,
    translate: impl FnMut(K, H, Option<D>) -> (K, H, Option<D>),
) {
    if store.len() == 0 {
        *store = other.remapped(translate);
        return;
    }
    let mut translate = translate;
    for (k, h, d) in other.into_records() {
        let (k, h, d) = translate(k, h, d);
        store.upsert(k, h, d, |new, old| {
            ranker.newest_order(&prov(new), &prov(old)) == std::cmp::Ordering::Greater
        });
    }
}

/// Shares input indices out among `threads`: largest first to the least loaded share,
/// inputs with the same file name kept together.
fn share_out<R>(inputs: &[ImportInput<R>], threads: usize) -> Vec<Vec<usize>> {
    // Group by name, in first-seen order.
    let mut groups: Vec<(Arc<str>, u64, Vec<usize>)> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let (file, size) = (&input.file, &input.size_hint.unwrap_or(0));
        match groups.iter_mut().find(|g| g.0 == file.name) {
            Some(g) => {
                g.1 = g.1.saturating_add(*size);
                g.2.push(i);
            }
            None => groups.push((file.name.clone(), *size, vec![i])),
        }
    }
    groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(&b.2)));
    let mut shares: Vec<(u64, Vec<usize>)> = vec![(0, Vec::new()); threads.max(1)];
    for (_, size, idx) in groups {
        if let Some(least) = shares.iter_mut().min_by_key(|s| s.0) {
            least.0 = least.0.saturating_add(size);
            least.1.extend(idx);
        }
    }
    shares
        .into_iter()
        .map(|(_, mut idx)| {
            // Within a share, files are imported in input order.
            idx.sort_unstable();
            idx
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// Adds the counts of `other` (the same file seen by another merger) to `mine`.
fn merge_file_report(mine: &mut super::report::FileReport, other: super::report::FileReport) {
    mine.rows_read += other.rows_read;
    mine.rows_rejected += other.rows_rejected;
    mine.duplicates_collapsed += other.duplicates_collapsed;
    mine.description_rows_skipped += other.description_rows_skipped;
    for (k, v) in other.rejected_by_reason {
        *mine.rejected_by_reason.entry(k).or_insert(0) += v;
    }
    for (k, v) in other.dropped_by_reason {
        *mine.dropped_by_reason.entry(k).or_insert(0) += v;
    }
    mine.rejected.extend(other.rejected);
}

/// The id in this merger of the other merger's `id`, from a map with one entry per value
/// of the other merger's table (built just before, in the other's id order).
///
/// # Panics
/// Never: the other merger's ids are dense positions in its own tables, and every map is
/// built from the whole table, so each id it holds has its entry.
#[allow(clippy::expect_used)]
fn mapped<T: Copy>(map: &[T], id: usize) -> T {
    map.get(id)
        .copied()
        .expect("an id of the folded merger names a value of its own table")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{
        import::SourceKind,
        merge::{Finish, MergeOptions, Merger, SourceFile},
    };

    #[test]
    fn the_first_failing_input_is_reported_and_the_others_are_imported() {
        let euka = "handle,email\n@ana,ana@mailbox.org\n";
        let no_handle = "email\nbo@mailbox.org\n";
        let phones = "Username,Phone #\nbo,(+1)8325550159\n";
        for threads in [1, 2, 3] {
            let mut m = Merger::new(MergeOptions::default());
            let inputs = vec![
                ImportInput::new(
                    SourceFile::new(SourceKind::Euka, "euka.csv"),
                    euka.as_bytes(),
                )
                .size_hint(30),
                ImportInput::new(
                    SourceFile::new(SourceKind::Euka, "bad1.csv"),
                    no_handle.as_bytes(),
                )
                .size_hint(20),
                ImportInput::new(
                    SourceFile::new(SourceKind::Euka, "bad2.csv"),
                    no_handle.as_bytes(),
                )
                .size_hint(90),
                ImportInput::new(
                    SourceFile::new(SourceKind::PhoneNumbers, "p.csv"),
                    phones.as_bytes(),
                )
                .size_hint(10),
            ];
            let e = m.import_many(inputs, threads).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Import, "{threads} threads");
            assert_eq!(e.field(), Some("handle"));
            let handles: Vec<String> = m
                .finish(Finish::Everything)
                .creators
                .iter()
                .map(|c| c.handle.as_str().to_owned())
                .collect();
            assert_eq!(handles, ["ana", "bo"], "{threads} threads");
        }
    }

    #[test]
    fn a_file_seen_before_counts_its_repeated_rows_as_duplicates() {
        let euka = "handle,email\n@ana,ana@mailbox.org\n@bo,bo@mailbox.org\n";
        let phones = "Username,Phone #\nbo,(+1)8325550159\n";
        let file = SourceFile::new(SourceKind::Euka, "euka.csv");
        let p = SourceFile::new(SourceKind::PhoneNumbers, "p.csv");
        let mut one = Merger::new(MergeOptions::default());
        one.import_csv(&file, euka.as_bytes()).unwrap();
        let mut many = Merger::new(MergeOptions::default());
        many.import_csv(&file, euka.as_bytes()).unwrap();
        one.import_csv(&file, euka.as_bytes()).unwrap();
        one.import_csv(&p, phones.as_bytes()).unwrap();
        let inputs = vec![
            ImportInput::new(file, euka.as_bytes()).size_hint(50),
            ImportInput::new(p, phones.as_bytes()).size_hint(30),
        ];
        many.import_many(inputs, 2).unwrap();
        let (a, b) = (
            many.finish(Finish::Everything),
            one.finish(Finish::Everything),
        );
        assert_eq!(a.report.duplicates_collapsed, 2);
        assert_eq!(a, b);
    }

    #[test]
    fn files_are_shared_largest_first_and_same_names_together() {
        let f = |name: &str, size| {
            ImportInput::new(SourceFile::new(SourceKind::Euka, name), ()).size_hint(size)
        };
        let inputs = [f("a", 50), f("b", 40), f("c", 30), f("a", 5), f("d", 10)];
        // a (55) → share 0; b (40) → share 1; c (30) → share 1, the least loaded (70);
        // d (10) → share 0 (65).
        assert_eq!(share_out(&inputs, 2), [vec![0, 3, 4], vec![1, 2]]);
        assert_eq!(share_out(&inputs, 9).len(), 4);
        assert_eq!(share_out(&inputs, 1), [vec![0, 1, 2, 3, 4]]);
    }
}
