//! Outreach: the pure core of welcoming approved creators by email and SMS.
//!
//! - [`sms`]: GSM-7 / UCS-2 detection, segment counting, smart encoding.
//! - [`keyword`]: inbound replies read as opt-out, opt-in or help.
//! - [`quiet_hours`]: the state rules as data and [`sms_send_window`].
//! - [`webhook`]: Mailgun and Twilio signatures, freshness, delivery events.
//! - [`consent_link`]: the signed SMS-consent link of the welcome email.
//! - [`plan`]: [`plan_outreach`], the messages to send with their idempotency keys.
//! - [`template`]: minijinja templates with limits, the default welcome
//!   messages, validation on save.
//!
//! Nothing here reads a clock or touches storage: `now` is always a parameter.

#[rustfmt::skip]
mod area_codes;
pub mod consent_link;
pub mod keyword;
pub mod plan;
pub mod quiet_hours;
pub mod sms;
pub mod template;
pub mod webhook;

pub use consent_link::{ConsentClaim, sign_consent_token, verify_consent_token};
pub use keyword::{Keyword, sms_keyword};
pub use plan::{
    Campaign, Channel, OutreachPlan, OutreachTarget, PlannedMessage, SkipReason, Skipped,
    idempotency_key, plan_outreach,
};
pub use quiet_hours::{
    EffectiveRule, QuietHours, StateRule, WeekRule, Window, area_code_info, next_under_daily_cap,
    sms_send_window,
};
pub use sms::{
    PreparedSms, SmsEncoding, SmsPolicy, SmsSegments, SmsWarning, gsm7_septets, is_gsm7,
    smart_encode, sms_segments,
};
pub use template::{
    EmailTemplate, KNOWN_VARIABLES, MissingPart, RenderedEmail, SmsTemplate, TemplateLimits,
    TemplateReport, TemplateSet, WelcomeContext, render_template, validate_email, validate_sms,
};
pub use webhook::{
    DeliveryEvent, DeliveryEventKind, MailgunSignature, MailgunWebhook, Provider, check_freshness,
    parse_mailgun_webhook, parse_twilio_status, query_param, twilio_signature,
    verify_mailgun_signature, verify_mailgun_webhook, verify_twilio_body_signature,
    verify_twilio_signature,
};
