//! Recording candidates and records as rows bring them: per creator field one candidate
//! per distinct value, keeping the better provenance by the survivorship order
//! ([`Ranker::contact_order`]); related records settled by [`Ranker::newest_order`].

use std::cmp::Ordering;

use super::{
    parts::{AddressKey, NameKey, PartsArena, TextParts},
    state::{Cand, CandField, CreatorAcc, MergeState, Prov},
    survivorship::Ranker,
};

impl MergeState {
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

    /// Records an address for a creator, as [`MergeState::add_name`] does a name.
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

    /// Settles the records rows added since the last call
    /// ([`Records::settle`](super::keyed::Records::settle)): done after every file and
    /// every in-memory row, so that the stores are whole whenever they are read.
    pub(crate) fn settle_records(&mut self) {
        let ranker = Ranker::new(&self.options.priority, &self.files);
        let newer = |new: &Prov, old: &Prov| ranker.newest_order(new, old) == Ordering::Greater;
        self.samples.settle(|n, o| newer(&n.prov, &o.prov));
        self.videos.settle(|n, o| newer(&n.prov, &o.prov));
        self.snapshots.settle(|n, o| newer(&n.prov, &o.prov));
        self.products.settle(|n, o| newer(&n.prov, &o.prov));
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
