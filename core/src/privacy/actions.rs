//! What a creator may do to a supporter, one supporter at a time, with an
//! audit record for every attempt.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    detect::{Detector, Kinds},
    pseudonym::{Pseudonymizer, PseudonymousId},
};
use crate::{
    error::{Error, ErrorKind},
    supporters::SupporterId,
};

/// An action a creator asks to take on **one** supporter.
///
/// `Debug` never prints a message body (it may hold personal data).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum SupporterAction {
    /// Send the supporter a message. Rejected as contact-info exchange when
    /// the body holds an email address, a phone number or a street address.
    SendMessage {
        /// The message text.
        body: String,
    },
    /// Open the supporter's (creator-safe) profile.
    ViewProfile,
    /// Thank the supporter for a gift.
    ThankForGift,
    /// Invite the supporter to a live stream.
    InviteToLive,
    /// Reply to the supporter's comment or chat.
    Reply,
    /// Forbidden: message many supporters at once.
    BulkMessage,
    /// Forbidden: export the supporter list.
    ExportSupporterList,
    /// Forbidden: propose meeting in person.
    OfflineMeetup,
    /// Forbidden: ask for or reveal the supporter's real identity.
    RevealIdentity,
    /// Forbidden: exchange contact details (email, phone, address, handles).
    ExchangeContactInfo,
}

impl fmt::Debug for SupporterAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SupporterAction::SendMessage { body } => f
                .debug_struct("SendMessage")
                .field("body", &format_args!("<{} bytes>", body.len()))
                .finish(),
            other => f.write_str(other.kind().as_str()),
        }
    }
}

/// The kind of a [`SupporterAction`], without its payload: what audit records hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// [`SupporterAction::SendMessage`].
    SendMessage,
    /// [`SupporterAction::ViewProfile`].
    ViewProfile,
    /// [`SupporterAction::ThankForGift`].
    ThankForGift,
    /// [`SupporterAction::InviteToLive`].
    InviteToLive,
    /// [`SupporterAction::Reply`].
    Reply,
    /// [`SupporterAction::BulkMessage`].
    BulkMessage,
    /// [`SupporterAction::ExportSupporterList`].
    ExportSupporterList,
    /// [`SupporterAction::OfflineMeetup`].
    OfflineMeetup,
    /// [`SupporterAction::RevealIdentity`].
    RevealIdentity,
    /// [`SupporterAction::ExchangeContactInfo`].
    ExchangeContactInfo,
}

impl ActionKind {
    /// A stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ActionKind::SendMessage => "send_message",
            ActionKind::ViewProfile => "view_profile",
            ActionKind::ThankForGift => "thank_for_gift",
            ActionKind::InviteToLive => "invite_to_live",
            ActionKind::Reply => "reply",
            ActionKind::BulkMessage => "bulk_message",
            ActionKind::ExportSupporterList => "export_supporter_list",
            ActionKind::OfflineMeetup => "offline_meetup",
            ActionKind::RevealIdentity => "reveal_identity",
            ActionKind::ExchangeContactInfo => "exchange_contact_info",
        }
    }

    /// Why this kind is forbidden, or `None` when it is allowed.
    pub const fn forbidden_reason(self) -> Option<&'static str> {
        match self {
            ActionKind::BulkMessage => {
                Some("bulk_message is forbidden: creators message one supporter at a time")
            }
            ActionKind::ExportSupporterList => {
                Some("export_supporter_list is forbidden: supporter lists never leave the app")
            }
            ActionKind::OfflineMeetup => {
                Some("offline_meetup is forbidden: creators and supporters do not meet offline")
            }
            ActionKind::RevealIdentity => {
                Some("reveal_identity is forbidden: supporters stay pseudonymous")
            }
            ActionKind::ExchangeContactInfo => {
                Some("exchange_contact_info is forbidden: contact details are never exchanged")
            }
            ActionKind::SendMessage
            | ActionKind::ViewProfile
            | ActionKind::ThankForGift
            | ActionKind::InviteToLive
            | ActionKind::Reply => None,
        }
    }
}

impl SupporterAction {
    /// The action's kind.
    pub fn kind(&self) -> ActionKind {
        match self {
            SupporterAction::SendMessage { .. } => ActionKind::SendMessage,
            SupporterAction::ViewProfile => ActionKind::ViewProfile,
            SupporterAction::ThankForGift => ActionKind::ThankForGift,
            SupporterAction::InviteToLive => ActionKind::InviteToLive,
            SupporterAction::Reply => ActionKind::Reply,
            SupporterAction::BulkMessage => ActionKind::BulkMessage,
            SupporterAction::ExportSupporterList => ActionKind::ExportSupporterList,
            SupporterAction::OfflineMeetup => ActionKind::OfflineMeetup,
            SupporterAction::RevealIdentity => ActionKind::RevealIdentity,
            SupporterAction::ExchangeContactInfo => ActionKind::ExchangeContactInfo,
        }
    }
}

/// One attempted action, for the host to store. Holds no personal data: the
/// supporter appears only by pseudonymous id, message bodies not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// The creator who asked (the host's creator id).
    pub actor: String,
    /// What was asked.
    pub action: ActionKind,
    /// The supporter, pseudonymous.
    pub supporter: PseudonymousId,
    /// When it was asked (the `now` passed in).
    pub at: DateTime<Utc>,
    /// Whether it was allowed.
    pub allowed: bool,
    /// Why it was rejected; `None` when allowed.
    pub reason: Option<String>,
}

/// A rejected action: the typed error (`ErrorKind::Forbidden`, field
/// `action`) and the audit record to store.
#[derive(Debug)]
pub struct Denied {
    /// The record of the attempt (`allowed == false`).
    pub audit: AuditRecord,
    /// The error to return to the caller.
    pub error: Error,
}

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl std::error::Error for Denied {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl From<Denied> for Error {
    fn from(denied: Denied) -> Self {
        denied.error
    }
}

/// Checks creator actions on supporters and records every attempt.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use creator_crm::ErrorKind;
/// use creator_crm::privacy::{ActionGuard, ActionKind, Pseudonymizer, SupporterAction};
/// use creator_crm::supporters::SupporterId;
///
/// let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
/// let keys = Pseudonymizer::new(b"0123456789abcdef").unwrap();
/// let guard = ActionGuard::new(&keys);
/// let fan = SupporterId::from("s-42");
///
/// let ok = guard.authorize("creator-7", &fan, &SupporterAction::ThankForGift, now).unwrap();
/// assert!(ok.allowed);
///
/// let msg = SupporterAction::SendMessage { body: "text me: 415-555-0134".into() };
/// let denied = guard.authorize("creator-7", &fan, &msg, now).unwrap_err();
/// assert_eq!(denied.error.kind(), ErrorKind::Forbidden);
/// assert_eq!(denied.audit.action, ActionKind::SendMessage);
/// assert!(!denied.audit.allowed);
/// assert!(denied.audit.reason.unwrap().contains("exchange_contact_info"));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ActionGuard<'k> {
    ids: &'k Pseudonymizer,
    detector: Detector,
}

impl<'k> ActionGuard<'k> {
    /// A guard that names supporters in audit records with `ids`.
    pub fn new(ids: &'k Pseudonymizer) -> Self {
        ActionGuard {
            ids,
            detector: Detector::default(),
        }
    }

    /// Reads phone numbers in message bodies with this detector's region.
    #[must_use]
    pub fn with_detector(mut self, detector: Detector) -> Self {
        self.detector = detector;
        self
    }

    /// Checks `action` by creator `actor` on `supporter` at `now`.
    ///
    /// # Errors
    /// [`Denied`] for a forbidden action, or a message that carries contact
    /// details; its error has kind `Forbidden`, field `action`, and a reason
    /// naming the action. Both outcomes carry the [`AuditRecord`].
    pub fn authorize(
        &self,
        actor: &str,
        supporter: &SupporterId,
        action: &SupporterAction,
        now: DateTime<Utc>,
    ) -> Result<AuditRecord, Denied> {
        let kind = action.kind();
        let reason = kind
            .forbidden_reason()
            .map(str::to_owned)
            .or_else(|| self.message_reason(action));
        let audit = AuditRecord {
            actor: actor.to_owned(),
            action: kind,
            supporter: self.ids.pseudonym(supporter),
            at: now,
            allowed: reason.is_none(),
            reason: reason.clone(),
        };
        match reason {
            None => Ok(audit),
            Some(reason) => Err(Denied {
                audit,
                error: Error::new(ErrorKind::Forbidden, reason).with_field("action"),
            }),
        }
    }

    /// Why a message is rejected: it carries contact details.
    fn message_reason(&self, action: &SupporterAction) -> Option<String> {
        let SupporterAction::SendMessage { body } = action else {
            return None;
        };
        let kinds = Kinds {
            ip: false,
            ..Kinds::ALL
        };
        let mut found = Vec::new();
        self.detector.find_into(body, kinds, &mut found);
        let first = found.first()?;
        Some(format!(
            "send_message rejected as exchange_contact_info: the body holds {} {}",
            match first.kind {
                super::PiiKind::Address => "an",
                _ => "a",
            },
            match first.kind {
                super::PiiKind::Email => "email address",
                super::PiiKind::Phone => "phone number",
                _ => "street address",
            }
        ))
    }
}

/// Parses an action kind by its [`ActionKind::as_str`] name (`"bulk_message"`), as hosts
/// pass it. Forbidden kinds parse too: refusing them is the guard's job, with an audit
/// record.
///
/// ```
/// use creator_crm::{ErrorKind, privacy::ActionKind};
/// assert_eq!("reveal_identity".parse::<ActionKind>().unwrap(), ActionKind::RevealIdentity);
/// let e = "hug".parse::<ActionKind>().unwrap_err();
/// assert_eq!((e.kind(), e.field()), (ErrorKind::InvalidInput, Some("action")));
/// ```
impl std::str::FromStr for ActionKind {
    type Err = Error;

    /// # Errors
    /// [`ErrorKind::InvalidInput`] (field `action`, reason `unknown action`) for any other
    /// text.
    fn from_str(s: &str) -> Result<Self, Error> {
        ActionKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Error::invalid("action", "unknown action"))
    }
}

impl ActionKind {
    /// Every kind, allowed ones first.
    pub const ALL: [ActionKind; 10] = [
        ActionKind::SendMessage,
        ActionKind::ViewProfile,
        ActionKind::ThankForGift,
        ActionKind::InviteToLive,
        ActionKind::Reply,
        ActionKind::BulkMessage,
        ActionKind::ExportSupporterList,
        ActionKind::OfflineMeetup,
        ActionKind::RevealIdentity,
        ActionKind::ExchangeContactInfo,
    ];
}

impl SupporterAction {
    /// The action of `kind`; `body` is the message of [`ActionKind::SendMessage`] (empty
    /// when `None`) and is ignored by the other kinds. With [`ActionKind`]'s `FromStr`,
    /// this is how a host's `(name, body)` becomes an action.
    pub fn from_kind(kind: ActionKind, body: Option<String>) -> SupporterAction {
        match kind {
            ActionKind::SendMessage => SupporterAction::SendMessage {
                body: body.unwrap_or_default(),
            },
            ActionKind::ViewProfile => SupporterAction::ViewProfile,
            ActionKind::ThankForGift => SupporterAction::ThankForGift,
            ActionKind::InviteToLive => SupporterAction::InviteToLive,
            ActionKind::Reply => SupporterAction::Reply,
            ActionKind::BulkMessage => SupporterAction::BulkMessage,
            ActionKind::ExportSupporterList => SupporterAction::ExportSupporterList,
            ActionKind::OfflineMeetup => SupporterAction::OfflineMeetup,
            ActionKind::RevealIdentity => SupporterAction::RevealIdentity,
            ActionKind::ExchangeContactInfo => SupporterAction::ExchangeContactInfo,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn forbidden_actions_are_rejected_with_audit() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let keys = Pseudonymizer::new(&[9; 32]).unwrap();
        let guard = ActionGuard::new(&keys);
        let fan = SupporterId::from("s-1");
        for (action, name) in [
            (SupporterAction::BulkMessage, "bulk_message"),
            (
                SupporterAction::ExportSupporterList,
                "export_supporter_list",
            ),
            (SupporterAction::OfflineMeetup, "offline_meetup"),
            (SupporterAction::RevealIdentity, "reveal_identity"),
            (
                SupporterAction::ExchangeContactInfo,
                "exchange_contact_info",
            ),
        ] {
            let d = guard.authorize("c-1", &fan, &action, now).unwrap_err();
            assert_eq!(d.error.kind(), ErrorKind::Forbidden);
            assert_eq!(d.error.field(), Some("action"));
            assert!(d.error.reason().starts_with(name), "{}", d.error);
            assert_eq!(d.audit.supporter, keys.pseudonym(&fan));
            assert_eq!(d.audit.at, now);
            assert!(!d.audit.allowed);
        }
        for action in [
            SupporterAction::ViewProfile,
            SupporterAction::ThankForGift,
            SupporterAction::InviteToLive,
            SupporterAction::Reply,
            SupporterAction::SendMessage {
                body: "thanks for the 12 roses at 10:30!".into(),
            },
        ] {
            let a = guard.authorize("c-1", &fan, &action, now).unwrap();
            assert!(a.allowed && a.reason.is_none());
        }
    }

    #[test]
    fn messages_with_contact_details_are_rejected() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let keys = Pseudonymizer::new(&[9; 32]).unwrap();
        let guard = ActionGuard::new(&keys);
        let fan = SupporterId::from("s-1");
        for body in [
            "mail me at me@example.com",
            "call (415) 555-0134",
            "come to 12 Oak Ave",
        ] {
            let action = SupporterAction::SendMessage { body: body.into() };
            let d = guard.authorize("c-1", &fan, &action, now).unwrap_err();
            assert!(d.to_string().contains("exchange_contact_info"), "{d}");
            assert!(!d.to_string().contains("555") && !d.to_string().contains("example"));
            assert!(
                !format!("{action:?}").contains("Oak") && !format!("{action:?}").contains("555")
            );
        }
    }

    #[test]
    fn every_kind_parses_from_its_name_into_an_action_of_that_kind() {
        for kind in ActionKind::ALL {
            let parsed: ActionKind = kind.as_str().parse().unwrap();
            assert_eq!(parsed, kind);
            assert_eq!(SupporterAction::from_kind(parsed, None).kind(), kind);
        }
        for bad in ["", "Bulk_Message", "bulk message", "send_message "] {
            let e = bad.parse::<ActionKind>().unwrap_err();
            assert_eq!((e.field(), e.reason()), (Some("action"), "unknown action"));
        }
    }
}
