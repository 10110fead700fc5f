//! Names and addresses as values of typed text parts: a name is `[first, last]`, an
//! address `[line1, line2, city, state, zip, country]`.
//!
//! A [`TextParts`] is one such value being built, in a buffer reused from row to row; a
//! [`PartsArena`] stores the distinct values of every creator, each named by a dense
//! `u32` id, its parts kept apart by their end offsets (no separator character, so no
//! part can be mistaken for two).

/// A name's parts: `[first, last]`.
pub(crate) type NameKey = TextParts<2>;

/// An address's parts: `[line1, line2, city, state, zip, country]`.
pub(crate) type AddressKey = TextParts<6>;

/// A value of `N` text parts in one buffer.
pub(crate) struct TextParts<const N: usize> {
    text: String,
    /// End of each part in `text`; part `i` starts where part `i - 1` ends.
    ends: [usize; N],
}

impl<const N: usize> Default for TextParts<N> {
    fn default() -> Self {
        TextParts {
            text: String::new(),
            ends: [0; N],
        }
    }
}

impl<const N: usize> TextParts<N> {
    /// Sets the value to `parts`, keeping the buffer.
    pub(crate) fn set(&mut self, parts: [&str; N]) {
        self.text.clear();
        for (end, part) in self.ends.iter_mut().zip(parts) {
            self.text.push_str(part);
            *end = self.text.len();
        }
    }

    /// Sets the value to a copy of `other`, keeping the buffer.
    pub(crate) fn copy_from(&mut self, other: &TextParts<N>) {
        self.text.clear();
        self.text.push_str(&other.text);
        self.ends = other.ends;
    }
}

/// The parts of `text` ending at `ends`, the first starting at `start`.
///
/// # Panics
/// Never for the span of a value of a [`PartsArena`]: its ends are char boundaries of its
/// text, in order (each part was pushed whole).
#[allow(clippy::expect_used)]
fn split<'a, const N: usize>(text: &'a str, start: usize, ends: &[usize; N]) -> [&'a str; N] {
    let mut from = start;
    ends.map(|end| {
        let part = text
            .get(from..end)
            .expect("a value's part ends are char boundaries in order");
        from = end;
        part
    })
}

/// Values of `N` text parts appended one after another into one buffer, each named by a
/// dense `u32` id in insertion order: no allocation per value.
#[derive(Clone)]
pub(crate) struct PartsArena<const N: usize> {
    text: String,
    /// End offset of each part of each value in `text`, `N` per value: part `i` of value
    /// `v` ends at `ends[v * N + i]` and starts where the part before it ends.
    ends: Vec<usize>,
}

impl<const N: usize> Default for PartsArena<N> {
    fn default() -> Self {
        PartsArena {
            text: String::new(),
            ends: Vec::new(),
        }
    }
}

impl<const N: usize> PartsArena<N> {
    /// Appends `value`; its id.
    pub(crate) fn push(&mut self, value: &TextParts<N>) -> u32 {
        let id = super::state::next_id(self.ends.len() / N);
        let start = self.text.len();
        self.text.push_str(&value.text);
        self.ends.extend(value.ends.iter().map(|e| start + e));
        id
    }

    /// Where value `id` starts in `text`, and its part ends; `None` for an unknown id.
    fn span(&self, id: u32) -> Option<(usize, &[usize; N])> {
        let at = (id as usize).checked_mul(N)?;
        let ends: &[usize; N] = self.ends.get(at..at.checked_add(N)?)?.try_into().ok()?;
        let start = match at.checked_sub(1) {
            Some(prev) => *self.ends.get(prev)?,
            None => 0,
        };
        Some((start, ends))
    }

    /// The parts of value `id`.
    ///
    /// # Panics
    /// Never for an id this arena gave: ids are dense positions of values that are never
    /// removed, each with its `N` part ends.
    #[allow(clippy::expect_used)]
    pub(crate) fn get(&self, id: u32) -> [&str; N] {
        let (start, ends) = self
            .span(id)
            .expect("a parts id names a value of its own arena");
        split(&self.text, start, ends)
    }

    /// Whether value `id` is `value`: the same text, cut at the same places.
    pub(crate) fn holds(&self, id: u32, value: &TextParts<N>) -> bool {
        let Some((start, ends)) = self.span(id) else {
            return false;
        };
        let end = ends.last().copied().unwrap_or(start);
        self.text.get(start..end) == Some(value.text.as_str())
            && ends
                .iter()
                .zip(&value.ends)
                .all(|(e, v)| e.checked_sub(start) == Some(*v))
    }

    /// Gives back spare capacity.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_stay_apart_and_values_compare_by_parts() {
        let mut key = NameKey::default();
        let mut names = PartsArena::<2>::default();
        let mut ids = Vec::new();
        for parts in [["ana", "cruz"], ["an", "acruz"], ["", ""], ["a\u{1f}b", ""]] {
            key.set(parts);
            ids.push(names.push(&key));
        }
        assert_eq!(ids, [0, 1, 2, 3]);
        assert_eq!(names.get(0), ["ana", "cruz"]);
        assert_eq!(names.get(1), ["an", "acruz"]);
        assert_eq!(names.get(2), ["", ""]);
        assert_eq!(names.get(3), ["a\u{1f}b", ""]);
        key.set(["an", "acruz"]);
        assert!(names.holds(1, &key));
        assert!(!names.holds(0, &key), "same text, cut elsewhere");
        assert!(!names.holds(4, &key));
        let mut copy = NameKey::default();
        copy.copy_from(&key);
        assert!(names.holds(1, &copy));
    }
}
