//! The sender traits and the recording test double.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use creator_crm::{
    ErrorKind,
    identity::{E164, Email},
    messaging::{EmailSender, OutboundEmail, OutboundSms, Recorded, RecordingSender, SmsSender},
};

fn email() -> OutboundEmail {
    OutboundEmail {
        outbox_id: "ob_1".into(),
        idempotency_key: "key-1".into(),
        to: Email::parse("jo.kim@acmebeauty.co").unwrap().unwrap(),
        subject: "Welcome".into(),
        text: "Hi".into(),
        html: "<p>Hi</p>".into(),
        unsubscribe_url: "https://crm.example.com/u/t".into(),
    }
}

fn sms(id: &str) -> OutboundSms {
    OutboundSms {
        outbox_id: id.into(),
        idempotency_key: format!("key-{id}"),
        to: "+14155550123".parse::<E164>().unwrap(),
        body: "Hi. Reply STOP to opt out.".into(),
    }
}

#[test]
fn senders_are_object_safe_and_shareable() {
    let recorder = Arc::new(RecordingSender::new());
    let email_sender: Arc<dyn EmailSender> = recorder.clone();
    let sms_sender: Arc<dyn SmsSender> = recorder.clone();
    let r1 = email_sender.send_email(&email()).unwrap();
    let r2 = sms_sender.send_sms(&sms("ob_2")).unwrap();
    assert_eq!(r1.provider_message_id, "rec-1");
    assert_eq!(r2.provider_message_id, "rec-2");
    let sent = recorder.sent();
    assert_eq!(sent.len(), 2);
    assert!(matches!(&sent[0], Recorded::Email(m, _) if m.outbox_id == "ob_1"));
    assert!(
        matches!(&sent[1], Recorded::Sms(m, r) if m.outbox_id == "ob_2" && r.provider_message_id == "rec-2")
    );
}

#[test]
fn injected_failures_are_messaging_errors_and_record_nothing() {
    let recorder = RecordingSender::new();
    recorder.fail_next(2);
    assert_eq!(
        recorder.send_sms(&sms("a")).unwrap_err().kind(),
        ErrorKind::Messaging
    );
    assert_eq!(
        recorder.send_email(&email()).unwrap_err().kind(),
        ErrorKind::Messaging
    );
    assert!(recorder.sent().is_empty());
    assert_eq!(
        recorder.send_sms(&sms("b")).unwrap().provider_message_id,
        "rec-1"
    );
    assert_eq!(recorder.calls(), 3);
}

#[test]
fn outbox_id_travels_with_the_message() {
    let e = email();
    assert_eq!(e.provider_variables(), [("outbox_id", "ob_1")]);
    assert_eq!(
        e.list_unsubscribe_headers(),
        [
            (
                "List-Unsubscribe",
                "<https://crm.example.com/u/t>".to_owned()
            ),
            (
                "List-Unsubscribe-Post",
                "List-Unsubscribe=One-Click".to_owned()
            ),
        ]
    );
    assert_eq!(
        sms("ob 1/ü").status_callback_url("https://h.example/cb"),
        "https://h.example/cb?outbox_id=ob%201%2F%C3%BC"
    );
}
