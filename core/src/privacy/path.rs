//! JSONPath rendering for the sanitizer's report, built lazily: a path is a
//! chain of stack frames and becomes a string only when something is removed.

use std::fmt::Write as _;

#[derive(Clone, Copy)]
enum Seg<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

/// A position in a JSON document.
#[derive(Clone, Copy)]
pub(super) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    seg: Seg<'a>,
}

impl<'a> Path<'a> {
    /// `$`.
    pub(super) const ROOT: Path<'static> = Path {
        parent: None,
        seg: Seg::Root,
    };

    /// The member `key` of this object.
    pub(super) fn key(&'a self, key: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            seg: Seg::Key(key),
        }
    }

    /// Element `i` of this array.
    pub(super) fn index(&'a self, i: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            seg: Seg::Index(i),
        }
    }

    /// `$.a.b[2]['odd key']`.
    pub(super) fn render(&self) -> String {
        let mut out = String::with_capacity(32);
        self.write_to(&mut out);
        out
    }

    fn write_to(&self, out: &mut String) {
        if let Some(parent) = self.parent {
            parent.write_to(out);
        }
        {
            match self.seg {
                Seg::Root => out.push('$'),
                Seg::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
                Seg::Key(k) if is_plain(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Seg::Key(k) => {
                    out.push_str("['");
                    for c in k.chars() {
                        if c == '\'' || c == '\\' {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                    out.push_str("']");
                }
            }
        }
    }
}

/// A key that can be written after a dot: `[A-Za-z_][A-Za-z0-9_]*`.
fn is_plain(k: &str) -> bool {
    let mut bytes = k.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_jsonpath() {
        let root = Path::ROOT;
        let items = root.key("items");
        let two = items.index(2);
        assert_eq!(two.key("note").render(), "$.items[2].note");
        assert_eq!(two.key("Real-Name").render(), "$.items[2]['Real-Name']");
        assert_eq!(root.key("it's").render(), "$['it\\'s']");
        assert_eq!(root.render(), "$");
    }
}
