//! Mobile bindings of `creator_crm::outreach::template`: the default welcome messages,
//! validation on save, and a [`Templates`] set that renders saved email and SMS templates
//! under limits (strict undefined, HTML bodies auto-escaped).

use std::sync::{Mutex, PoisonError};

use creator_crm::outreach::{self as core, template};

use crate::errors::CrmError;

/// An email template: subject, plain-text body and HTML body (minijinja syntax).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EmailTemplate {
    /// The subject line (not escaped).
    pub subject: String,
    /// The plain-text body (not escaped).
    pub text: String,
    /// The HTML body (auto-escaped).
    pub html: String,
}

impl From<EmailTemplate> for core::EmailTemplate {
    fn from(t: EmailTemplate) -> Self {
        core::EmailTemplate {
            subject: t.subject,
            text: t.text,
            html: t.html,
        }
    }
}

impl From<core::EmailTemplate> for EmailTemplate {
    fn from(t: core::EmailTemplate) -> Self {
        EmailTemplate {
            subject: t.subject,
            text: t.text,
            html: t.html,
        }
    }
}

/// A rendered email.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RenderedEmail {
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
}

impl From<core::RenderedEmail> for RenderedEmail {
    fn from(e: core::RenderedEmail) -> Self {
        RenderedEmail {
            subject: e.subject,
            text: e.text,
            html: e.html,
        }
    }
}

/// A compliance part a template lacks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum MissingPart {
    /// An email body does not use `unsubscribe_url`.
    UnsubscribeLink {
        /// The body: `text` or `html`.
        part: String,
    },
    /// An email body does not use `postal_address`.
    PostalAddress {
        /// The body: `text` or `html`.
        part: String,
    },
    /// The SMS tells no way to opt out (no "STOP").
    OptOutText,
}

/// What validation found in a template that compiles.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TemplateReport {
    /// Variables the template uses that are not known (see `knownTemplateVariables`),
    /// sorted.
    pub unknown_variables: Vec<String>,
    /// Compliance parts it lacks.
    pub missing: Vec<MissingPart>,
}

impl From<core::TemplateReport> for TemplateReport {
    fn from(r: core::TemplateReport) -> Self {
        TemplateReport {
            unknown_variables: r.unknown_variables,
            missing: r
                .missing
                .into_iter()
                .map(|m| match m {
                    core::MissingPart::UnsubscribeLink(part) => MissingPart::UnsubscribeLink {
                        part: part.to_owned(),
                    },
                    core::MissingPart::PostalAddress(part) => MissingPart::PostalAddress {
                        part: part.to_owned(),
                    },
                    core::MissingPart::OptOutText => MissingPart::OptOutText,
                })
                .collect(),
        }
    }
}

#[uniffi::export]
impl TemplateReport {
    /// Whether the template may be saved: no unknown variable, nothing missing.
    pub fn is_ok(&self) -> bool {
        self.unknown_variables.is_empty() && self.missing.is_empty()
    }
}

/// The values a welcome message is rendered with; absent ones are `none` in the
/// template, so `{{ first_name or "there" }}` and `{% if sms_consent_url %}` work.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct WelcomeContext {
    /// The creator's first name, when known.
    #[uniffi(default = None)]
    pub first_name: Option<String>,
    /// The brand the creator joins.
    pub brand_name: String,
    /// The community invite link (Discord, Slack, a landing page).
    pub community_invite_url: String,
    /// The one-click unsubscribe link (email).
    #[uniffi(default = None)]
    pub unsubscribe_url: Option<String>,
    /// The sender's postal address (email, CAN-SPAM).
    #[uniffi(default = None)]
    pub postal_address: Option<String>,
    /// The signed link that records SMS consent (email), when SMS is offered.
    #[uniffi(default = None)]
    pub sms_consent_url: Option<String>,
}

impl std::fmt::Debug for WelcomeContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WelcomeContext({}, <redacted>)", self.brand_name)
    }
}

display_as_debug!(WelcomeContext);

impl From<WelcomeContext> for core::WelcomeContext {
    fn from(c: WelcomeContext) -> Self {
        core::WelcomeContext {
            first_name: c.first_name,
            brand_name: c.brand_name,
            community_invite_url: c.community_invite_url,
            unsubscribe_url: c.unsubscribe_url,
            postal_address: c.postal_address,
            sms_consent_url: c.sms_consent_url,
        }
    }
}

impl From<core::WelcomeContext> for WelcomeContext {
    fn from(c: core::WelcomeContext) -> Self {
        WelcomeContext {
            first_name: c.first_name,
            brand_name: c.brand_name,
            community_invite_url: c.community_invite_url,
            unsubscribe_url: c.unsubscribe_url,
            postal_address: c.postal_address,
            sms_consent_url: c.sms_consent_url,
        }
    }
}

/// The sample context previews are rendered with.
#[uniffi::export]
pub fn sample_welcome_context() -> WelcomeContext {
    core::WelcomeContext::sample().into()
}

/// The variables outreach templates may use.
#[uniffi::export]
pub fn known_template_variables() -> Vec<String> {
    core::KNOWN_VARIABLES
        .iter()
        .map(|v| (*v).to_owned())
        .collect()
}

/// The default welcome email.
#[uniffi::export]
pub fn welcome_email_template() -> EmailTemplate {
    core::EmailTemplate::welcome().into()
}

/// The default welcome SMS body.
#[uniffi::export]
pub fn welcome_sms_template() -> String {
    core::SmsTemplate::welcome().body
}

/// Checks an email template before it is saved: the report lists unknown variables and
/// missing compliance parts (an unsubscribe link and the postal address in both bodies).
///
/// # Errors
/// `Template` naming the part (`subject`, `text`, `html`) when it does not compile.
#[uniffi::export]
pub fn validate_email_template(template: EmailTemplate) -> Result<TemplateReport, CrmError> {
    Ok(core::validate_email(&template.into())?.into())
}

/// Checks an SMS template before it is saved: the report lists unknown variables and
/// whether it tells the recipient how to opt out ("STOP").
///
/// # Errors
/// `Template` when it does not compile.
#[uniffi::export]
pub fn validate_sms_template(body: String) -> Result<TemplateReport, CrmError> {
    Ok(core::validate_sms(&core::SmsTemplate { body })?.into())
}

fn json_context(context_json: &str) -> Result<serde_json::Value, CrmError> {
    serde_json::from_str(context_json)
        .map_err(|e| creator_crm::host::shape_error("context", &e).into())
}

/// Saved email and SMS templates by name, validated when added and rendered under the
/// default limits. Safe to share between threads: calls are serialized.
#[derive(Debug, uniffi::Object)]
pub struct Templates {
    inner: Mutex<template::TemplateSet>,
}

impl Templates {
    fn lock(&self) -> std::sync::MutexGuard<'_, template::TemplateSet> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[uniffi::export]
impl Templates {
    /// A set holding the default `welcome` email and SMS.
    ///
    /// # Errors
    /// `Template` if a default template does not validate (a defect of the library).
    #[uniffi::constructor]
    pub fn new() -> Result<std::sync::Arc<Self>, CrmError> {
        Ok(std::sync::Arc::new(Templates {
            inner: Mutex::new(template::TemplateSet::with_defaults()?),
        }))
    }

    /// Validates and saves email template `name`, replacing one of that name.
    ///
    /// # Errors
    /// `Template` when it does not compile, uses an unknown variable or lacks a compliance
    /// part (the reason lists them); nothing is saved then.
    pub fn add_email(&self, name: String, template: EmailTemplate) -> Result<(), CrmError> {
        Ok(self.lock().add_email(&name, template.into())?)
    }

    /// Validates and saves SMS template `name`, replacing one of that name.
    ///
    /// # Errors
    /// As [`Templates::add_email`].
    pub fn add_sms(&self, name: String, body: String) -> Result<(), CrmError> {
        Ok(self.lock().add_sms(&name, core::SmsTemplate { body })?)
    }

    /// Renders email template `name` with a welcome context.
    ///
    /// # Errors
    /// `Template` for an unknown name, an undefined variable or a limit exceeded.
    pub fn render_email(
        &self,
        name: String,
        context: WelcomeContext,
    ) -> Result<RenderedEmail, CrmError> {
        let ctx = core::WelcomeContext::from(context);
        Ok(self.lock().render_email(&name, &ctx)?.into())
    }

    /// Renders email template `name` with the variables of a JSON object.
    ///
    /// # Errors
    /// `InvalidInput` on field `context` when `context_json` is not JSON; else as
    /// [`Templates::render_email`].
    pub fn render_email_json(
        &self,
        name: String,
        context_json: String,
    ) -> Result<RenderedEmail, CrmError> {
        let ctx = json_context(&context_json)?;
        Ok(self.lock().render_email(&name, &ctx)?.into())
    }

    /// Renders SMS template `name` with a welcome context.
    ///
    /// # Errors
    /// As [`Templates::render_email`].
    pub fn render_sms(&self, name: String, context: WelcomeContext) -> Result<String, CrmError> {
        let ctx = core::WelcomeContext::from(context);
        Ok(self.lock().render_sms(&name, &ctx)?)
    }

    /// Renders SMS template `name` with the variables of a JSON object.
    ///
    /// # Errors
    /// As [`Templates::render_email_json`].
    pub fn render_sms_json(&self, name: String, context_json: String) -> Result<String, CrmError> {
        let ctx = json_context(&context_json)?;
        Ok(self.lock().render_sms(&name, &ctx)?)
    }

    /// Email template `name` rendered with the sample context, for staff to review.
    ///
    /// # Errors
    /// As [`Templates::render_email`].
    pub fn preview_email(&self, name: String) -> Result<RenderedEmail, CrmError> {
        Ok(self.lock().preview_email(&name)?.into())
    }

    /// SMS template `name` rendered with the sample context.
    ///
    /// # Errors
    /// As [`Templates::render_email`].
    pub fn preview_sms(&self, name: String) -> Result<String, CrmError> {
        Ok(self.lock().preview_sms(&name)?)
    }
}
