//! Inbound SMS keywords: every phrasing that must opt out, opt in or ask for
//! help, and ordinary sentences that must not.
#![allow(clippy::unwrap_used)]

use creator_crm::outreach::{Keyword, sms_keyword};
use proptest::prelude::*;

const OPT_OUT: &[&str] = &[
    // The FCC 24-24 words, alone, in any case and punctuation.
    "stop",
    "STOP",
    "Stop",
    "quit",
    "QUIT!",
    "end",
    "End.",
    "revoke",
    "opt out",
    "OPT OUT",
    "opt-out",
    "Opt-Out!",
    "optout",
    "cancel",
    "Cancel",
    "unsubscribe",
    "UNSUBSCRIBE",
    "stopall",
    "STOP ALL",
    "stop all",
    "  stop  ",
    "\tSTOP\n",
    "s t o p",
    "STOP!!!",
    "stop.",
    "*STOP*",
    "\"stop\"",
    "stop 🛑",
    "🛑 STOP",
    "Stoppp",
    "STOOOP",
    "un-subscribe",
    "unsub",
    // Reasonable wording.
    "STOP please",
    "Stop please!",
    "please stop",
    "Please STOP.",
    "pls stop",
    "stop pls",
    "stop it",
    "stop now",
    "stop immediately",
    "STOP thank you",
    "stop, thanks",
    "please stop texting me",
    "Please stop texting me!",
    "stop texting me",
    "stop sending me messages",
    "stop messaging me",
    "stop sending texts",
    "stop the texts",
    "quit texting me",
    "can you stop texting me",
    "could you please stop sending me texts",
    "i want to opt out",
    "I'd like to unsubscribe",
    "i want to unsubscribe please",
    "unsubscribe me",
    "unsubscribe me from this list",
    "cancel my subscription",
    "cancel subscription",
    "opt me out",
    "remove me",
    "remove me from your list",
    "Please remove me from this list",
    "take me off your list",
    "take me off this list please",
    "delete me",
    "don't text me",
    "dont text me",
    "do not text me",
    "don’t text me anymore",
    "do not contact me",
    "don't message me again",
    "no more texts",
    "no more messages please",
    "leave me alone",
    "wrong number",
    "Wrong number!",
    "end it",
    "end these messages",
    "Who is this? Stop texting me.",
    "Thanks! STOP",
    "ok stop",
    "hey stop",
    "yes, stop",
    "Stop. I never signed up",
    "STOP\nSTOP",
    "cease texting",
    "opt out now",
];

const NOT_OPT_OUT: &[&str] = &[
    "I'll stop by tomorrow",
    "Can you stop by the store?",
    "stop by at 5",
    "I'm at the end of the street",
    "the end",
    "The end of the month works",
    "end of story",
    "see you at the end",
    "I can't stop laughing",
    "don't stop",
    "please don't stop texting me",
    "nonstop fun",
    "What time does it end?",
    "when does the event end",
    "the show will end late",
    "i need to cancel my order",
    "cancel the meeting",
    "can we cancel lunch",
    "bus stop",
    "stop sign",
    "quite good",
    "ending soon",
    "weekend",
    "Stopwatch",
    "tender",
    "I quit my job",
    "",
    "   ",
    "?!",
    "hello",
    "ok",
    "thanks",
    "sounds good",
    "yes",
    "start",
];

#[test]
fn every_opt_out_phrasing_opts_out() {
    for text in OPT_OUT {
        assert_eq!(sms_keyword(text), Some(Keyword::OptOut), "{text:?}");
    }
}

#[test]
fn ordinary_sentences_do_not_opt_out() {
    for text in NOT_OPT_OUT {
        assert_ne!(sms_keyword(text), Some(Keyword::OptOut), "{text:?}");
    }
}

#[test]
fn opt_in_and_help() {
    for text in [
        "START",
        "start",
        "Yes",
        "YES!",
        "yes please",
        "unstop",
        "UNSTOP",
        "Un-stop",
        "start please",
    ] {
        assert_eq!(sms_keyword(text), Some(Keyword::OptIn), "{text:?}");
    }
    for text in [
        "HELP",
        "help",
        "Help?",
        "help me",
        "INFO",
        "info please",
        "Info.",
    ] {
        assert_eq!(sms_keyword(text), Some(Keyword::Help), "{text:?}");
    }
    for text in [
        "I'll stop by, yes",
        "yes I can come",
        "start time?",
        "help yourself",
        "thanks for the info on the event",
        "I need help with my order",
        "yes stop",
        "help stop",
    ] {
        assert_ne!(sms_keyword(text), Some(Keyword::OptIn), "{text:?}");
        assert_ne!(sms_keyword(text), Some(Keyword::Help), "{text:?}");
    }
    assert_eq!(sms_keyword("yes stop"), Some(Keyword::OptOut));
    assert_eq!(sms_keyword("help stop"), Some(Keyword::OptOut));
    assert_eq!(Keyword::OptOut.as_str(), "opt_out");
    assert_eq!(Keyword::OptIn.as_str(), "opt_in");
    assert_eq!(Keyword::Help.as_str(), "help");
}

fn noisy(word: &'static str) -> impl Strategy<Value = String> {
    let punct = prop_oneof![
        Just(""),
        Just("!"),
        Just("."),
        Just("!!"),
        Just(" "),
        Just("?")
    ];
    (
        proptest::collection::vec(any::<bool>(), word.len()),
        punct.clone(),
        punct,
    )
        .prop_map(move |(upper, before, after)| {
            let w: String = word
                .chars()
                .zip(upper)
                .map(|(c, u)| if u { c.to_ascii_uppercase() } else { c })
                .collect();
            format!("{before}{w}{after}")
        })
}

proptest! {
    /// Any case and punctuation around an FCC word still opts out.
    #[test]
    fn fcc_words_in_any_case_and_punctuation(
        text in prop_oneof![
            noisy("stop"), noisy("quit"), noisy("end"), noisy("revoke"), noisy("opt out"),
            noisy("cancel"), noisy("unsubscribe"), noisy("stopall"), noisy("optout"), noisy("opt-out"),
        ],
        polite in prop_oneof![Just(""), Just(" please"), Just(" thanks"), Just(" now")],
    ) {
        let msg = format!("{text}{polite}");
        prop_assert_eq!(sms_keyword(&msg), Some(Keyword::OptOut), "{:?}", msg);
    }

    /// Revocation wins: an opt-out clause anywhere makes the reply an opt-out.
    #[test]
    fn revocation_wins(i in 0..OPT_OUT.len(), other in "[a-z ]{0,30}") {
        let msg = format!("{other}. {}", OPT_OUT[i]);
        prop_assert_eq!(sms_keyword(&msg), Some(Keyword::OptOut), "{:?}", msg);
    }
}
