//! Inbound SMS keywords: opt-out, opt-in and help.
//!
//! The FCC's consent-revocation order (FCC 24-24) makes any reasonable
//! wording a revocation, and Twilio only blocks single-word replies, so the
//! library reads whole replies: "STOP please", "please stop texting me",
//! "opt-out", "take me off your list" all opt out, in any case, spacing or
//! punctuation, while an ordinary sentence that merely contains "end" or
//! "stop by" does not.
//!
//! How a reply is read: it is lower-cased, apostrophes are dropped (`don't` →
//! `dont`) and every other character that is not a letter or digit separates
//! words; sentence punctuation (`. ! ? , ; :` and line breaks) also separates
//! clauses. A clause opts out when it is *preamble words, one core phrase,
//! trailing words* — the preamble and tail drawn from short lists of polite or
//! pointing words ("please", "can you", "me", "your list", "anymore"). Any
//! clause opting out makes the reply an opt-out (revocation wins). Opt-in and
//! help are stricter: every clause must be the keyword and polite words only,
//! so "I'll stop by, yes" is not an opt-in.

/// What an inbound SMS asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Keyword {
    /// Revokes consent: no further messages except the one confirmation.
    OptOut,
    /// Gives consent back (START, YES, UNSTOP).
    OptIn,
    /// Asks for help or information (HELP, INFO).
    Help,
}

impl Keyword {
    /// `"opt_out"`, `"opt_in"` or `"help"`, the names every binding uses.
    pub const fn as_str(self) -> &'static str {
        match self {
            Keyword::OptOut => "opt_out",
            Keyword::OptIn => "opt_in",
            Keyword::Help => "help",
        }
    }
}

/// The FCC 24-24 words and the carriers' usual ones, each opting out alone.
const OPT_OUT_WORDS: &[&str] = &[
    "stop",
    "stopall",
    "quit",
    "end",
    "revoke",
    "cancel",
    "unsubscribe",
    "unsub",
    "optout",
];

/// Phrases that opt out as they stand (after normalization).
const OPT_OUT_PHRASES: &[&[&str]] = &[
    &["opt", "me", "out"],
    &["remove", "me"],
    &["take", "me", "off"],
    &["delete", "me"],
    &["dont", "text"],
    &["do", "not", "text"],
    &["dont", "message"],
    &["do", "not", "message"],
    &["dont", "contact"],
    &["do", "not", "contact"],
    &["dont", "send"],
    &["do", "not", "send"],
    &["no", "more", "texts"],
    &["no", "more", "text"],
    &["no", "more", "messages"],
    &["no", "more", "sms"],
    &["leave", "me", "alone"],
    &["wrong", "number"],
    &["cease", "texting"],
    &["cease", "contact"],
];

/// Words that may come before an opt-out phrase.
const PREAMBLE: &[&str] = &[
    "please",
    "pls",
    "plz",
    "plez",
    "kindly",
    "just",
    "can",
    "could",
    "would",
    "will",
    "you",
    "u",
    "ya",
    "i",
    "id",
    "want",
    "wanna",
    "to",
    "like",
    "need",
    "hey",
    "hi",
    "hello",
    "ok",
    "okay",
    "oh",
    "so",
    "and",
    "now",
    "seriously",
    "again",
    "sir",
    "maam",
    "txt",
    "reply",
    "yes",
    "no",
    "help",
];

/// Words that may follow an opt-out phrase.
const TAIL: &[&str] = &[
    "me",
    "us",
    "my",
    "mine",
    "this",
    "these",
    "that",
    "those",
    "them",
    "it",
    "the",
    "a",
    "all",
    "any",
    "more",
    "anymore",
    "further",
    "from",
    "off",
    "of",
    "your",
    "ur",
    "list",
    "lists",
    "mailing",
    "texting",
    "text",
    "texts",
    "txt",
    "txts",
    "txting",
    "messaging",
    "message",
    "messages",
    "msg",
    "msgs",
    "sms",
    "sending",
    "contacting",
    "calling",
    "number",
    "phone",
    "subscription",
    "subscriptions",
    "alerts",
    "notifications",
    "marketing",
    "promotions",
    "please",
    "pls",
    "plz",
    "thanks",
    "thank",
    "you",
    "thx",
    "ty",
    "now",
    "immediately",
    "asap",
    "already",
    "again",
    "ok",
    "okay",
    "k",
    "forever",
    "permanently",
    "right",
    "away",
    "for",
    "good",
    "to",
    "everything",
    "sent",
    "being",
    "getting",
    "receiving",
    "contact",
];

/// Polite words allowed around an opt-in or help keyword.
const POLITE: &[&str] = &[
    "please", "pls", "plz", "thanks", "thank", "you", "thx", "ty", "ok", "okay", "hi", "hey",
    "hello", "me",
];

const OPT_IN_WORDS: &[&str] = &["start", "yes", "unstop", "subscribe", "resume"];
const HELP_WORDS: &[&str] = &["help", "info", "information"];

/// Splits `text` into clauses of normalized words.
fn clauses(text: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut clause: Vec<String> = Vec::new();
    let mut word = String::new();
    let flush_word = |word: &mut String, clause: &mut Vec<String>| {
        if !word.is_empty() {
            clause.push(normalize_word(std::mem::take(word)));
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{2bc}' | '`') {
            // "don't" reads as "dont".
        } else {
            flush_word(&mut word, &mut clause);
            if matches!(c, '.' | '!' | '?' | ',' | ';' | ':' | '\n' | '\r') && !clause.is_empty() {
                out.push(merge_split_words(std::mem::take(&mut clause)));
            }
        }
    }
    flush_word(&mut word, &mut clause);
    if !clause.is_empty() {
        out.push(merge_split_words(clause));
    }
    out
}

/// Folds drawn-out spellings ("stoppp", "stooop") back to the word.
fn normalize_word(word: String) -> String {
    let mut out = String::with_capacity(word.len());
    let mut prev = None;
    let mut run = 0;
    for c in word.chars() {
        if Some(c) == prev {
            run += 1;
        } else {
            run = 1;
            prev = Some(c);
        }
        // Keep doubled letters ("all", "need"), drop a third and beyond.
        if run <= 2 {
            out.push(c);
        }
    }
    match out.as_str() {
        "stopp" | "stoop" => "stop".to_owned(),
        _ => out,
    }
}

/// Joins words a hyphen or space split: "opt out" → "optout", "un subscribe" →
/// "unsubscribe", and a run of three or more single letters ("s t o p") → one word.
fn merge_split_words(words: Vec<String>) -> Vec<String> {
    let mut joined: Vec<String> = Vec::with_capacity(words.len());
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, joined: &mut Vec<String>| {
        if run.len() >= 3 {
            joined.push(run.concat());
        } else {
            joined.append(run);
        }
        run.clear();
    };
    for w in words {
        if w.chars().count() == 1 && w.chars().all(char::is_alphabetic) {
            run.push(w);
        } else {
            flush(&mut run, &mut joined);
            joined.push(w);
        }
    }
    flush(&mut run, &mut joined);
    let mut out: Vec<String> = Vec::with_capacity(joined.len());
    for w in joined {
        let merged = match (out.last().map(String::as_str), w.as_str()) {
            (Some("opt"), "out") => Some("optout"),
            (Some("un"), "subscribe") => Some("unsubscribe"),
            (Some("un"), "stop") => Some("unstop"),
            (Some("stop"), "all") if out.len() == 1 => Some("stopall"),
            _ => None,
        };
        match merged {
            Some(m) => {
                out.pop();
                out.push(m.to_owned());
            }
            None => out.push(w),
        }
    }
    out
}

fn is_in(list: &[&str], word: &str) -> bool {
    list.contains(&word)
}

/// Whether a clause reads as an opt-out: preamble, one core phrase, tail.
fn clause_opts_out(words: &[String]) -> bool {
    (0..words.len()).any(|start| {
        if !words[..start].iter().all(|w| is_in(PREAMBLE, w)) {
            return false;
        }
        let rest = &words[start..];
        let core_len = if is_in(OPT_OUT_WORDS, &rest[0]) {
            Some(1)
        } else {
            OPT_OUT_PHRASES
                .iter()
                .find(|p| p.len() <= rest.len() && p.iter().zip(rest).all(|(a, b)| a == b))
                .map(|p| p.len())
        };
        core_len.is_some_and(|n| rest[n..].iter().all(|w| is_in(TAIL, w)))
    })
}

/// Whether every clause is polite words around at least one of `words`.
fn only_keyword(clauses: &[Vec<String>], words: &[&str]) -> bool {
    let mut found = false;
    for w in clauses.iter().flatten() {
        if is_in(words, w) {
            found = true;
        } else if !is_in(POLITE, w) {
            return false;
        }
    }
    found
}

/// What an inbound SMS body asks for, if anything: an opt-out in any
/// reasonable wording, an opt-in (START, YES, UNSTOP) or a help request
/// (HELP, INFO). An opt-out wins over anything else in the same reply.
///
/// ```
/// use creator_crm::outreach::{Keyword, sms_keyword};
///
/// assert_eq!(sms_keyword("STOP please"), Some(Keyword::OptOut));
/// assert_eq!(sms_keyword("please stop texting me!"), Some(Keyword::OptOut));
/// assert_eq!(sms_keyword("I'll stop by at the end of the day"), None);
/// assert_eq!(sms_keyword("Unstop"), Some(Keyword::OptIn));
/// assert_eq!(sms_keyword("info?"), Some(Keyword::Help));
/// ```
pub fn sms_keyword(text: &str) -> Option<Keyword> {
    let clauses = clauses(text);
    if clauses.iter().any(|c| clause_opts_out(c)) {
        Some(Keyword::OptOut)
    } else if only_keyword(&clauses, OPT_IN_WORDS) {
        Some(Keyword::OptIn)
    } else if only_keyword(&clauses, HELP_WORDS) {
        Some(Keyword::Help)
    } else {
        None
    }
}
