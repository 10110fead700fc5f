//! Text encodings: UTF-8 with or without BOM, and cp1252.
//!
//! Files are streamed, never decoded as a whole: a UTF-8 BOM at the start is
//! skipped ([`SkipBom`]), and each cell is read as UTF-8 when it is valid
//! UTF-8 and as cp1252 (Windows-1252, the encoding Excel writes on US
//! Windows) otherwise ([`decode_cell`]). Pure-ASCII and UTF-8 cells cost a
//! validation and no copy.

use std::{
    borrow::Cow,
    io::{self, Read},
};

/// A reader that drops a leading UTF-8 byte order mark.
#[derive(Debug)]
pub struct SkipBom<R> {
    inner: R,
    head: [u8; 3],
    head_len: usize,
    head_pos: usize,
    started: bool,
}

impl<R: Read> SkipBom<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> Self {
        SkipBom {
            inner,
            head: [0; 3],
            head_len: 0,
            head_pos: 0,
            started: false,
        }
    }

    fn start(&mut self) -> io::Result<()> {
        self.started = true;
        while self.head_len < 3 {
            let n = self.inner.read(&mut self.head[self.head_len..])?;
            if n == 0 {
                break;
            }
            self.head_len += n;
        }
        if self.head_len == 3 && self.head == [0xEF, 0xBB, 0xBF] {
            self.head_len = 0;
        }
        Ok(())
    }
}

impl<R: Read> Read for SkipBom<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.started {
            self.start()?;
        }
        if self.head_pos < self.head_len {
            let avail = &self.head[self.head_pos..self.head_len];
            let n = avail.len().min(buf.len());
            buf[..n].copy_from_slice(&avail[..n]);
            self.head_pos += n;
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

/// Decodes one cell: UTF-8 when valid (borrowed), else cp1252.
pub fn decode_cell(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn read_all(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        SkipBom::new(bytes).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn bom_is_skipped_and_rest_kept() {
        assert_eq!(read_all(b"\xEF\xBB\xBFa,b\n"), b"a,b\n");
        assert_eq!(read_all(b"a,b\n"), b"a,b\n");
        assert_eq!(read_all(b"ab"), b"ab");
        assert_eq!(read_all(b""), b"");
        assert_eq!(read_all(b"\xEF\xBB"), b"\xEF\xBB");
    }

    #[test]
    fn cells_decode_as_utf8_or_cp1252() {
        assert_eq!(decode_cell("José".as_bytes()), "José");
        assert!(matches!(decode_cell(b"plain"), Cow::Borrowed(_)));
        assert_eq!(
            decode_cell(b"Jos\xE9 \x93Pepe\x94"),
            "José \u{201c}Pepe\u{201d}"
        );
    }
}
