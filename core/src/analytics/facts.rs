//! The creators of a merge's videos and samples, numbered once.
//!
//! Every table groups records by creator. Hashing a handle per record per table was most
//! of the dashboard's time, so the tables share one numbering instead: each creator met in
//! the videos (and, when asked, the samples) gets a dense number on first sight, and each
//! record's creator number is kept beside it. The tables then sum into vectors indexed by
//! creator number, and look the handle up only for the rows they output.

use ahash::AHashMap;

use crate::{identity::Handle, merge::MergeResult};

/// A merge's records with their creators numbered.
pub(crate) struct Facts<'a> {
    /// The merge.
    pub(crate) result: &'a MergeResult,
    /// Each creator's handle, by number.
    handles: Vec<&'a Handle>,
    /// The creator number of each video, in `result.videos` order.
    pub(crate) video_creator: Vec<u32>,
    /// The creator number of each sample, in `result.samples` order (empty unless asked).
    pub(crate) sample_creator: Vec<u32>,
}

impl<'a> Facts<'a> {
    /// Numbers the creators of `result`'s videos, and of its samples when `samples`.
    pub(crate) fn of(result: &'a MergeResult, samples: bool) -> Self {
        let mut numbers: AHashMap<&'a Handle, u32> = AHashMap::new();
        let mut handles: Vec<&'a Handle> = Vec::new();
        let mut number = |h: &'a Handle| {
            *numbers.entry(h).or_insert_with(|| {
                handles.push(h);
                // More than 4 billion creators would not fit in memory first.
                u32::try_from(handles.len() - 1).unwrap_or(u32::MAX)
            })
        };
        let video_creator = result.videos.iter().map(|v| number(&v.handle)).collect();
        let sample_creator = if samples {
            result.samples.iter().map(|s| number(&s.handle)).collect()
        } else {
            Vec::new()
        };
        Facts {
            result,
            handles,
            video_creator,
            sample_creator,
        }
    }

    /// How many creators are numbered.
    pub(crate) fn creators(&self) -> usize {
        self.handles.len()
    }

    /// The handle of creator `number`.
    pub(crate) fn handle(&self, number: u32) -> &'a Handle {
        self.handles[number as usize]
    }
}
