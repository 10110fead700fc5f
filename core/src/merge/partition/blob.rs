//! The bytes a partitioned merge hands between processes: one envelope for every blob.
//!
//! ```text
//! "CRMSO"  version (1)  tag (1)  plan id (u64 LE)  body
//! ```
//!
//! The body is postcard (serde) for plans, manifests, summaries, facts and partition
//! outputs; routed rows have a plain layout of their own (see `route.rs`). Opening a blob
//! checks the magic, version, tag and plan id, then decodes the body; any mismatch or a
//! body that does not decode is an [`ErrorKind::InvalidInput`] error on field `blob`
//! (never a panic, never a value from the blob in the message).

use serde::{Serialize, de::DeserializeOwned};

use crate::error::{Error, ErrorKind, Result};

const MAGIC: &[u8; 5] = b"CRMSO";
const VERSION: u8 = 1;
/// Bytes before the body.
pub(super) const HEADER: usize = MAGIC.len() + 2 + 8;

/// What a blob holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(super) enum Tag {
    Plan = 1,
    Rows = 2,
    Manifest = 3,
    Summary = 4,
    Facts = 5,
    Report = 6,
    Output = 7,
}

impl Tag {
    fn name(self) -> &'static str {
        match self {
            Tag::Plan => "a plan",
            Tag::Rows => "routed rows",
            Tag::Manifest => "a manifest",
            Tag::Summary => "a summary",
            Tag::Facts => "global facts",
            Tag::Report => "a report part",
            Tag::Output => "a partition output",
        }
    }
}

/// A blob that does not decode.
pub(super) fn corrupt() -> Error {
    Error::invalid("blob", "corrupt scale-out blob")
}

/// The envelope of a blob of `tag` under plan `plan`.
pub(super) fn header(tag: Tag, plan: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + 64);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out.push(tag as u8);
    out.extend_from_slice(&plan.to_le_bytes());
    out
}

/// The postcard encoding of `body`.
pub(super) fn encode_body(body: &impl Serialize) -> Result<Vec<u8>> {
    postcard::to_allocvec(body)
        .map_err(|_| Error::new(ErrorKind::InvalidInput, "cannot encode scale-out blob"))
}

/// The id of a plan whose body encodes as `body`.
pub(super) fn plan_id(body: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(body)
}

/// A blob of `tag` under plan `plan` holding `body`.
pub(super) fn seal(tag: Tag, plan: u64, body: &impl Serialize) -> Result<Vec<u8>> {
    let mut out = header(tag, plan);
    out.extend_from_slice(&encode_body(body)?);
    Ok(out)
}

/// The plan id and body of a blob of `tag`, after checking its envelope.
pub(super) fn split(tag: Tag, bytes: &[u8]) -> Result<(u64, &[u8])> {
    let (head, body) = bytes
        .split_at_checked(HEADER)
        .ok_or_else(|| Error::invalid("blob", "not a scale-out blob"))?;
    if head.get(..MAGIC.len()) != Some(MAGIC.as_slice()) {
        return Err(Error::invalid("blob", "not a scale-out blob"));
    }
    if head.get(MAGIC.len()) != Some(&VERSION) {
        return Err(Error::invalid("blob", "scale-out blob of another version"));
    }
    if head.get(MAGIC.len() + 1) != Some(&(tag as u8)) {
        return Err(Error::invalid(
            "blob",
            format!("expected {}, got another blob", tag.name()),
        ));
    }
    let id = head
        .get(MAGIC.len() + 2..HEADER)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_le_bytes)
        .ok_or_else(corrupt)?;
    Ok((id, body))
}

/// The body of a blob of `tag`, whatever its plan, with that plan's id.
pub(super) fn open_any<T: DeserializeOwned>(tag: Tag, bytes: &[u8]) -> Result<(u64, T)> {
    let (id, body) = split(tag, bytes)?;
    let value = postcard::from_bytes(body).map_err(|_| corrupt())?;
    Ok((id, value))
}

/// The body of a blob of `tag` made under plan `plan`.
pub(super) fn open<T: DeserializeOwned>(tag: Tag, plan: u64, bytes: &[u8]) -> Result<T> {
    let (id, body) = split(tag, bytes)?;
    check_plan(id, plan)?;
    postcard::from_bytes(body).map_err(|_| corrupt())
}

/// Refuses a blob made under another plan.
pub(super) fn check_plan(id: u64, plan: u64) -> Result<()> {
    if id == plan {
        Ok(())
    } else {
        Err(Error::invalid("blob", "scale-out blob of another plan"))
    }
}

/// Appends `n` as a LEB128 varint.
pub(super) fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads bytes of a routed-rows body, every read checked.
pub(super) struct Reader<'a> {
    pub(super) rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(super) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    pub(super) fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        let (head, rest) = self.rest.split_at_checked(n).ok_or_else(corrupt)?;
        self.rest = rest;
        Ok(head)
    }

    pub(super) fn u8(&mut self) -> Result<u8> {
        self.bytes(1)?.first().copied().ok_or_else(corrupt)
    }

    pub(super) fn u32(&mut self) -> Result<u32> {
        let b = self.bytes(4)?;
        b.try_into().map(u32::from_le_bytes).map_err(|_| corrupt())
    }

    pub(super) fn u64(&mut self) -> Result<u64> {
        let b = self.bytes(8)?;
        b.try_into().map(u64::from_le_bytes).map_err(|_| corrupt())
    }

    pub(super) fn varint(&mut self) -> Result<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(corrupt())
    }

    pub(super) fn str(&mut self) -> Result<&'a str> {
        let len = usize::try_from(self.varint()?).map_err(|_| corrupt())?;
        std::str::from_utf8(self.bytes(len)?).map_err(|_| corrupt())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn envelopes_are_checked_before_bodies() {
        let b = seal(Tag::Facts, 7, &(1u32, "x")).unwrap();
        let (a, s): (u32, String) = open(Tag::Facts, 7, &b).unwrap();
        assert_eq!((a, s.as_str()), (1, "x"));
        let reason = |r: Result<(u32, String)>| r.unwrap_err().reason().to_owned();
        assert_eq!(
            reason(open(Tag::Facts, 8, &b)),
            "scale-out blob of another plan"
        );
        assert_eq!(
            reason(open(Tag::Summary, 7, &b)),
            "expected a summary, got another blob"
        );
        assert_eq!(
            reason(open(Tag::Facts, 7, b"PK\x03\x04")),
            "not a scale-out blob"
        );
        let cut = &b[..b.len() - 1];
        assert_eq!(reason(open(Tag::Facts, 7, cut)), "corrupt scale-out blob");
    }

    #[test]
    fn varints_round_trip_and_overlong_ones_are_corrupt() {
        for n in [0u64, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut v = Vec::new();
            put_varint(&mut v, n);
            let mut r = Reader { rest: &v };
            assert_eq!(r.varint().unwrap(), n);
            assert!(r.is_empty());
        }
        let mut r = Reader { rest: &[0xff; 11] };
        assert!(r.varint().is_err());
    }
}
