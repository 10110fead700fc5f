//! Outreach templates: Jinja syntax (minijinja) with the limits staff-edited
//! templates need.
//!
//! - **Strict undefined:** a variable the context lacks is an error, never an
//!   empty string in a sent message.
//! - **Escaping:** HTML parts are auto-escaped; subjects, text bodies and SMS are not.
//! - **Limits** ([`TemplateLimits`]): source size, fuel (instructions and
//!   allocation), recursion depth and output size, so a recursive macro, a huge
//!   range, string multiplication or deep nesting fails fast with an
//!   [`ErrorKind::Template`] error.
//! - **Validation on save** ([`validate_email`], [`validate_sms`]): unknown
//!   variables and missing compliance parts (unsubscribe link and postal address
//!   in both email bodies, opt-out text in SMS).
//!
//! The variables a template may use are [`KNOWN_VARIABLES`]; [`WelcomeContext`]
//! carries them.

use std::{collections::BTreeSet, io};

use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value, value::ValueKind};
use serde::Serialize;

use crate::{Error, ErrorKind, Result};

/// The variables outreach templates may use.
pub const KNOWN_VARIABLES: &[&str] = &[
    "first_name",
    "brand_name",
    "community_invite_url",
    "unsubscribe_url",
    "postal_address",
    "sms_consent_url",
];

/// The values a welcome message is rendered with. Every field is always
/// present in the context (absent ones as `none`), so `{{ first_name or
/// "there" }}` gives the fallback and `{% if sms_consent_url %}` works under
/// strict undefined.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WelcomeContext {
    /// The creator's first name, when known.
    pub first_name: Option<String>,
    /// The brand the creator joins.
    pub brand_name: String,
    /// The community invite link (Discord, Slack, a landing page).
    pub community_invite_url: String,
    /// The one-click unsubscribe link (email).
    pub unsubscribe_url: Option<String>,
    /// The sender's postal address (email, CAN-SPAM).
    pub postal_address: Option<String>,
    /// The signed link that records SMS consent (email), when SMS is offered.
    pub sms_consent_url: Option<String>,
}

impl WelcomeContext {
    /// The sample context previews are rendered with.
    pub fn sample() -> Self {
        WelcomeContext {
            first_name: Some("Alex".to_owned()),
            brand_name: "Acme Beauty".to_owned(),
            community_invite_url: "https://discord.gg/acme-creators".to_owned(),
            unsubscribe_url: Some("https://crm.example.com/u/sample-token".to_owned()),
            postal_address: Some("Acme Beauty, 100 Main St, Austin, TX 78701".to_owned()),
            sms_consent_url: Some("https://crm.example.com/c/sample-token".to_owned()),
        }
    }
}

/// Resource limits applied to every compile and render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TemplateLimits {
    /// Largest template source accepted, in bytes.
    pub max_source_bytes: usize,
    /// minijinja fuel per render: roughly instructions executed plus 1 per 64 bytes allocated.
    pub fuel: u64,
    /// Deepest nesting of calls, loops and conditions at render time (at most 500).
    pub recursion: usize,
    /// Largest rendered output, in bytes.
    pub max_output_bytes: usize,
}

impl Default for TemplateLimits {
    /// 64 KiB of source, 100 000 fuel, recursion 64, 256 KiB of output.
    fn default() -> Self {
        TemplateLimits {
            max_source_bytes: 64 * 1024,
            fuel: 100_000,
            recursion: 64,
            max_output_bytes: 256 * 1024,
        }
    }
}

/// An email template: subject, plain-text body and HTML body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailTemplate {
    /// The subject line (not escaped).
    pub subject: String,
    /// The plain-text body (not escaped).
    pub text: String,
    /// The HTML body (auto-escaped).
    pub html: String,
}

impl EmailTemplate {
    /// The default welcome email.
    pub fn welcome() -> Self {
        EmailTemplate {
            subject: include_str!("templates/welcome_email.subject.txt").to_owned(),
            text: include_str!("templates/welcome_email.txt").to_owned(),
            html: include_str!("templates/welcome_email.html").to_owned(),
        }
    }
}

/// An SMS template (not escaped).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SmsTemplate {
    /// The message body.
    pub body: String,
}

impl SmsTemplate {
    /// The default welcome SMS.
    pub fn welcome() -> Self {
        SmsTemplate {
            body: include_str!("templates/welcome_sms.txt").to_owned(),
        }
    }
}

/// A rendered email.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RenderedEmail {
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body.
    pub html: String,
}

/// A compliance part a template lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MissingPart {
    /// The email body (`"text"` or `"html"`) does not use `unsubscribe_url`.
    UnsubscribeLink(&'static str),
    /// The email body (`"text"` or `"html"`) does not use `postal_address`.
    PostalAddress(&'static str),
    /// The SMS tells no way to opt out (no "STOP").
    OptOutText,
}

impl std::fmt::Display for MissingPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MissingPart::UnsubscribeLink(part) => write!(f, "unsubscribe link in {part}"),
            MissingPart::PostalAddress(part) => write!(f, "postal address in {part}"),
            MissingPart::OptOutText => f.write_str("opt-out text"),
        }
    }
}

/// What [`validate_email`] / [`validate_sms`] found in a template that compiles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct TemplateReport {
    /// Variables the template uses that are not in [`KNOWN_VARIABLES`], sorted.
    pub unknown_variables: Vec<String>,
    /// Compliance parts it lacks.
    pub missing: Vec<MissingPart>,
}

impl TemplateReport {
    /// Whether the template may be saved: no unknown variable, nothing missing.
    pub fn is_ok(&self) -> bool {
        self.unknown_variables.is_empty() && self.missing.is_empty()
    }

    fn into_result(self) -> Result<()> {
        if self.is_ok() {
            return Ok(());
        }
        let mut reason = String::new();
        if !self.unknown_variables.is_empty() {
            reason.push_str("unknown variables: ");
            reason.push_str(&self.unknown_variables.join(", "));
        }
        if !self.missing.is_empty() {
            if !reason.is_empty() {
                reason.push_str("; ");
            }
            reason.push_str("missing: ");
            let parts: Vec<String> = self.missing.iter().map(ToString::to_string).collect();
            reason.push_str(&parts.join(", "));
        }
        Err(Error::new(ErrorKind::Template, reason))
    }
}

/// The environment every template runs in: no builtins but an allowlist of
/// string filters and tests, so no filter can build a huge value before fuel
/// is charged for it (`join` or `list` over a repeated sequence, `replace` with
/// an empty pattern, `indent`); `range` stays, bounded by fuel. Printing a
/// list or map is refused: a message prints text.
fn environment(limits: &TemplateLimits) -> Environment<'static> {
    use minijinja::{filters as f, tests as t};
    let mut env = Environment::empty();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_fuel(Some(limits.fuel));
    env.set_recursion_limit(limits.recursion);
    env.set_formatter(|out, state, value| {
        if matches!(
            value.kind(),
            ValueKind::Seq | ValueKind::Map | ValueKind::Iterable | ValueKind::Plain
        ) {
            return Err(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                "only text and numbers can be printed",
            ));
        }
        minijinja::escape_formatter(out, state, value)
    });
    env.add_filter("upper", f::upper);
    env.add_filter("lower", f::lower);
    env.add_filter("title", f::title);
    env.add_filter("capitalize", f::capitalize);
    env.add_filter("trim", f::trim);
    env.add_filter("default", f::default);
    env.add_filter("d", f::default);
    env.add_filter("length", f::length);
    env.add_filter("count", f::length);
    env.add_filter("escape", f::escape);
    env.add_filter("e", f::escape);
    env.add_filter("first", f::first);
    let max_output = limits.max_output_bytes;
    env.add_filter("replace", move |value: String, from: String, to: String| {
        bounded_replace(&value, &from, &to, max_output)
    });
    env.add_test("defined", t::is_defined);
    env.add_test("undefined", t::is_undefined);
    env.add_test("none", t::is_none);
    env.add_test("string", t::is_string);
    env.add_test("number", t::is_number);
    env.add_test("eq", t::is_eq);
    env.add_test("ne", t::is_ne);
    env.add_test("startingwith", t::is_startingwith);
    env.add_test("endingwith", t::is_endingwith);
    env.add_test("in", t::is_in);
    env.add_function("range", minijinja::functions::range);
    env
}

/// `replace` that refuses a result larger than the output limit before building it.
fn bounded_replace(
    value: &str,
    from: &str,
    to: &str,
    max: usize,
) -> std::result::Result<String, minijinja::Error> {
    let hits = if from.is_empty() {
        value.chars().count() + 1
    } else {
        value.matches(from).count()
    };
    let projected = value
        .len()
        .saturating_add(hits.saturating_mul(to.len()))
        .saturating_sub(hits.saturating_mul(from.len()));
    if projected > max {
        return Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "replace result too large",
        ));
    }
    Ok(value.replace(from, to))
}

/// A typed template error: the part (`field`), the line, and a reason built
/// from minijinja's error kind. Details are kept only where they come from the
/// template source (syntax, unknown filter or function names), never from values.
fn template_error(e: &minijinja::Error, part: &'static str) -> Error {
    use minijinja::ErrorKind as K;
    let kind = e.kind();
    let reason = match (kind, e.detail()) {
        (
            K::SyntaxError
            | K::UnknownFilter
            | K::UnknownFunction
            | K::UnknownTest
            | K::UnknownMethod
            | K::TemplateNotFound,
            Some(detail),
        ) => format!("{kind}: {detail}"),
        _ => kind.to_string(),
    };
    let err = Error::new(ErrorKind::Template, reason).with_field(part);
    match e.line() {
        Some(line) => err.with_line(line as u64),
        None => err,
    }
}

/// An `io::Write` into memory that refuses to grow past a limit.
struct Bounded {
    buf: Vec<u8>,
    max: usize,
    overflowed: bool,
}

impl io::Write for Bounded {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.len() + data.len() > self.max {
            self.overflowed = true;
            return Err(io::Error::other("output limit"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn check_source(source: &str, limits: &TemplateLimits, part: &'static str) -> Result<()> {
    if source.len() > limits.max_source_bytes {
        return Err(Error::new(
            ErrorKind::Template,
            format!("source exceeds {} bytes", limits.max_source_bytes),
        )
        .with_field(part));
    }
    Ok(())
}

fn render_with(
    tmpl: &minijinja::Template<'_, '_>,
    ctx: &Value,
    limits: &TemplateLimits,
    part: &'static str,
) -> Result<String> {
    let mut out = Bounded {
        buf: Vec::with_capacity(256),
        max: limits.max_output_bytes,
        overflowed: false,
    };
    match tmpl.render_captured_to(ctx, &mut out) {
        Ok(_) => String::from_utf8(out.buf)
            .map_err(|_| Error::new(ErrorKind::Template, "output is not utf-8").with_field(part)),
        Err(_) if out.overflowed => Err(Error::new(
            ErrorKind::Template,
            format!("output exceeds {} bytes", limits.max_output_bytes),
        )
        .with_field(part)),
        Err(e) => Err(template_error(&e, part)),
    }
}

/// A set of named outreach templates, compiled once, rendered many times.
///
/// ```
/// use creator_crm::outreach::{TemplateSet, WelcomeContext};
///
/// let set = TemplateSet::with_defaults().unwrap();
/// let ctx = WelcomeContext { first_name: None, ..WelcomeContext::sample() };
/// let sms = set.render_sms("welcome", &ctx).unwrap();
/// assert!(sms.starts_with("Acme Beauty: Hi there, you're in!"));
/// ```
pub struct TemplateSet {
    env: Environment<'static>,
    limits: TemplateLimits,
}

impl std::fmt::Debug for TemplateSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemplateSet")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Default for TemplateSet {
    fn default() -> Self {
        TemplateSet::new(TemplateLimits::default())
    }
}

/// The names the parts of template `name` are stored under; the suffix picks the escaping.
fn part_names(name: &str) -> [String; 4] {
    [
        format!("{name}.subject"),
        format!("{name}.txt"),
        format!("{name}.html"),
        format!("{name}.sms"),
    ]
}

impl TemplateSet {
    /// An empty set with `limits`.
    pub fn new(limits: TemplateLimits) -> Self {
        TemplateSet {
            env: environment(&limits),
            limits,
        }
    }

    /// A set holding the default `welcome` email and SMS, with default limits.
    pub fn with_defaults() -> Result<Self> {
        let mut set = TemplateSet::default();
        set.add_email("welcome", EmailTemplate::welcome())?;
        set.add_sms("welcome", SmsTemplate::welcome())?;
        Ok(set)
    }

    /// The limits this set applies.
    pub fn limits(&self) -> &TemplateLimits {
        &self.limits
    }

    /// Validates and saves email template `name` (replacing one of that name).
    /// Fails when it does not compile or [`validate_email`] finds a problem.
    pub fn add_email(&mut self, name: &str, template: EmailTemplate) -> Result<()> {
        validate_email_with(&template, &self.limits)?.into_result()?;
        let [subject, text, html, _] = part_names(name);
        let parts = [
            (subject, template.subject, "subject"),
            (text, template.text, "text"),
            (html, template.html, "html"),
        ];
        for (key, source, part) in parts {
            self.env
                .add_template_owned(key, source)
                .map_err(|e| template_error(&e, part))?;
        }
        Ok(())
    }

    /// Validates and saves SMS template `name` (replacing one of that name).
    /// Fails when it does not compile or [`validate_sms`] finds a problem.
    pub fn add_sms(&mut self, name: &str, template: SmsTemplate) -> Result<()> {
        validate_sms_with(&template, &self.limits)?.into_result()?;
        let [_, _, _, key] = part_names(name);
        self.env
            .add_template_owned(key, template.body)
            .map_err(|e| template_error(&e, "sms"))
    }

    fn render_part(&self, key: &str, ctx: &Value, part: &'static str) -> Result<String> {
        let tmpl = self
            .env
            .get_template(key)
            .map_err(|_| Error::new(ErrorKind::Template, "no such template").with_field(part))?;
        render_with(&tmpl, ctx, &self.limits, part)
    }

    /// Renders email template `name` with `ctx` (any serializable map, e.g. a [`WelcomeContext`]).
    pub fn render_email(&self, name: &str, ctx: &impl Serialize) -> Result<RenderedEmail> {
        let ctx = Value::from(minijinja::value::Serde(ctx));
        let [subject, text, html, _] = part_names(name);
        Ok(RenderedEmail {
            subject: self.render_part(&subject, &ctx, "subject")?,
            text: self.render_part(&text, &ctx, "text")?,
            html: self.render_part(&html, &ctx, "html")?,
        })
    }

    /// Renders SMS template `name` with `ctx`.
    pub fn render_sms(&self, name: &str, ctx: &impl Serialize) -> Result<String> {
        let ctx = Value::from(minijinja::value::Serde(ctx));
        let [_, _, _, key] = part_names(name);
        self.render_part(&key, &ctx, "sms")
    }

    /// Email template `name` rendered with [`WelcomeContext::sample`], for staff to review.
    pub fn preview_email(&self, name: &str) -> Result<RenderedEmail> {
        self.render_email(name, &WelcomeContext::sample())
    }

    /// SMS template `name` rendered with [`WelcomeContext::sample`].
    pub fn preview_sms(&self, name: &str) -> Result<String> {
        self.render_sms(name, &WelcomeContext::sample())
    }

    /// Compiles and renders `source` once with `ctx`, under this set's limits;
    /// `html` turns auto-escaping on.
    pub fn render_str(&self, source: &str, ctx: &impl Serialize, html: bool) -> Result<String> {
        check_source(source, &self.limits, "template")?;
        let name = if html { "inline.html" } else { "inline.txt" };
        let tmpl = self
            .env
            .template_from_named_str(name, source)
            .map_err(|e| template_error(&e, "template"))?;
        render_with(
            &tmpl,
            &Value::from(minijinja::value::Serde(ctx)),
            &self.limits,
            "template",
        )
    }
}

/// Compiles and renders a template once, as the public API's `render_template`:
/// strict undefined, `html` auto-escapes, the default [`TemplateLimits`] apply.
///
/// ```
/// use creator_crm::outreach::render_template;
/// use serde_json::json;
///
/// let out = render_template("<b>{{ name }}</b>", &json!({"name": "<script>"}), true).unwrap();
/// assert_eq!(out, "<b>&lt;script&gt;</b>");
/// let err = render_template("{{ nope }}", &json!({}), false).unwrap_err();
/// assert_eq!(err.kind(), creator_crm::ErrorKind::Template);
/// ```
pub fn render_template(source: &str, ctx: &impl Serialize, html: bool) -> Result<String> {
    TemplateSet::default().render_str(source, ctx, html)
}

fn compile_variables(
    env: &Environment<'static>,
    source: &str,
    limits: &TemplateLimits,
    part: &'static str,
) -> Result<BTreeSet<String>> {
    check_source(source, limits, part)?;
    let tmpl = env
        .template_from_named_str(part, source)
        .map_err(|e| template_error(&e, part))?;
    Ok(tmpl.undeclared_variables(false).into_iter().collect())
}

fn unknown(vars: &BTreeSet<String>, into: &mut BTreeSet<String>) {
    into.extend(
        vars.iter()
            .filter(|v| !KNOWN_VARIABLES.contains(&v.as_str()))
            .cloned(),
    );
}

fn validate_email_with(t: &EmailTemplate, limits: &TemplateLimits) -> Result<TemplateReport> {
    let env = environment(limits);
    let mut unknown_vars = BTreeSet::new();
    let mut missing = Vec::new();
    let subject = compile_variables(&env, &t.subject, limits, "subject")?;
    unknown(&subject, &mut unknown_vars);
    for (source, part) in [(&t.text, "text"), (&t.html, "html")] {
        let vars = compile_variables(&env, source, limits, part)?;
        unknown(&vars, &mut unknown_vars);
        if !vars.contains("unsubscribe_url") {
            missing.push(MissingPart::UnsubscribeLink(part));
        }
        if !vars.contains("postal_address") {
            missing.push(MissingPart::PostalAddress(part));
        }
    }
    Ok(TemplateReport {
        unknown_variables: unknown_vars.into_iter().collect(),
        missing,
    })
}

fn validate_sms_with(t: &SmsTemplate, limits: &TemplateLimits) -> Result<TemplateReport> {
    let env = environment(limits);
    let vars = compile_variables(&env, &t.body, limits, "sms")?;
    let mut unknown_vars = BTreeSet::new();
    unknown(&vars, &mut unknown_vars);
    let tells_stop = t
        .body
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case("stop"));
    Ok(TemplateReport {
        unknown_variables: unknown_vars.into_iter().collect(),
        missing: if tells_stop {
            Vec::new()
        } else {
            vec![MissingPart::OptOutText]
        },
    })
}

/// Checks an email template before it is saved: it must compile (else an
/// error), and the report lists unknown variables and missing compliance parts
/// (an unsubscribe link and the postal address in both the text and HTML bodies).
pub fn validate_email(template: &EmailTemplate) -> Result<TemplateReport> {
    validate_email_with(template, &TemplateLimits::default())
}

/// Checks an SMS template before it is saved: it must compile (else an
/// error), and the report lists unknown variables and whether it tells the
/// recipient how to opt out ("STOP").
pub fn validate_sms(template: &SmsTemplate) -> Result<TemplateReport> {
    validate_sms_with(template, &TemplateLimits::default())
}
