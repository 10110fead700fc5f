//! Templates: rendered defaults (snapshots), strict undefined, escaping,
//! validation on save, and attacks that must fail fast.
#![allow(clippy::unwrap_used, clippy::panic)]

use creator_crm::{
    ErrorKind,
    outreach::{
        EmailTemplate, MissingPart, SmsTemplate, TemplateLimits, TemplateSet, WelcomeContext,
        render_template, sms_segments, validate_email, validate_sms,
    },
};
use proptest::prelude::*;
use serde_json::json;

#[test]
fn default_welcome_email_renders() {
    let set = TemplateSet::with_defaults().unwrap();
    let email = set.preview_email("welcome").unwrap();
    insta::assert_snapshot!("welcome_email_subject", email.subject);
    insta::assert_snapshot!("welcome_email_text", email.text);
    insta::assert_snapshot!("welcome_email_html", email.html);
}

#[test]
fn default_welcome_sms_renders_and_fits_one_segment() {
    let set = TemplateSet::with_defaults().unwrap();
    let sms = set.preview_sms("welcome").unwrap();
    insta::assert_snapshot!("welcome_sms", sms);
    let s = sms_segments(&sms);
    assert_eq!((s.encoding.as_str(), s.segments), ("GSM-7", 1));
}

#[test]
fn first_name_falls_back_and_consent_link_is_optional() {
    let set = TemplateSet::with_defaults().unwrap();
    for first_name in [None, Some(String::new())] {
        let ctx = WelcomeContext {
            first_name,
            sms_consent_url: None,
            ..WelcomeContext::sample()
        };
        let email = set.render_email("welcome", &ctx).unwrap();
        assert_eq!(email.subject, "Welcome to Acme Beauty, there!");
        assert!(email.text.starts_with("Hi there,\n"));
        assert!(!email.text.contains("by text"));
        assert!(!email.html.contains("by text"));
        let sms = set.render_sms("welcome", &ctx).unwrap();
        assert!(
            sms.starts_with("Acme Beauty: Hi there, you're in!"),
            "{sms}"
        );
    }
}

#[test]
fn html_escapes_but_text_and_sms_do_not() {
    let set = TemplateSet::with_defaults().unwrap();
    let ctx = WelcomeContext {
        first_name: Some("Jo & <b>Al</b>".into()),
        ..WelcomeContext::sample()
    };
    let email = set.render_email("welcome", &ctx).unwrap();
    assert!(
        email
            .html
            .contains("<p>Hi Jo &amp; &lt;b&gt;Al&lt;&#x2f;b&gt;,</p>"),
        "{}",
        email.html
    );
    assert!(email.text.starts_with("Hi Jo & <b>Al</b>,"));
    assert!(email.subject.ends_with("Jo & <b>Al</b>!"));
    let sms = set.render_sms("welcome", &ctx).unwrap();
    assert!(sms.contains("Hi Jo & <b>Al</b>,"));
}

#[test]
fn render_template_contract() {
    assert_eq!(
        render_template("Hi {{ name }}", &json!({"name": "<i>"}), false).unwrap(),
        "Hi <i>"
    );
    assert_eq!(
        render_template("Hi {{ name }}", &json!({"name": "<i>"}), true).unwrap(),
        "Hi &lt;i&gt;"
    );
    let err = render_template("Hi {{ nmae }}", &json!({"name": "x"}), false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Template);
    assert_eq!(
        err.to_string(),
        "line 1: template: template: undefined value"
    );
    let err = render_template("Hi {{ name.first }}", &json!({"name": "x"}), false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Template);
    let err = render_template("{% if %}", &json!({}), false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Template);
    assert_eq!(err.line(), Some(1));
    assert!(err.reason().starts_with("syntax error"), "{err}");
}

#[test]
fn string_filters_and_tests_work() {
    let ctx = json!({"name": "alex kim", "city": null, "n": 3});
    let cases = [
        ("{{ name|upper }}", "ALEX KIM"),
        ("{{ name|title }}", "Alex Kim"),
        ("{{ name|capitalize }}", "Alex kim"),
        ("{{ '  x '|trim }}", "x"),
        ("{{ name|replace('kim', 'lee') }}", "alex lee"),
        ("{{ city or 'nowhere' }}", "nowhere"),
        ("{{ name|length }}", "8"),
        ("{% if city is none %}none{% endif %}", "none"),
        ("{% if name is startingwith('al') %}yes{% endif %}", "yes"),
        ("{% for i in range(n) %}{{ i }}{% endfor %}", "012"),
    ];
    for (source, expected) in cases {
        assert_eq!(
            render_template(source, &ctx, false).unwrap(),
            expected,
            "{source}"
        );
    }
    let err = render_template("{{ [1, 2] }}", &ctx, false).unwrap_err();
    assert_eq!(err.reason(), "invalid operation");
    let err = render_template("{{ name|safe }}", &ctx, true).unwrap_err();
    assert_eq!(err.reason(), "unknown filter: filter safe is unknown");
}

#[test]
fn errors_never_carry_values() {
    let err = render_template(
        "{{ email + 1 }}",
        &json!({"email": "jo@example.com"}),
        false,
    )
    .unwrap_err();
    assert!(
        !format!("{err} {err:?}").contains("jo@example.com"),
        "{err}"
    );
}

#[test]
fn validate_lists_unknown_variables_and_missing_compliance_parts() {
    let report = validate_email(&EmailTemplate::welcome()).unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert!(validate_sms(&SmsTemplate::welcome()).unwrap().is_ok());

    let bare = EmailTemplate {
        subject: "Hi {{ nickname }}".into(),
        text: "Hello {{ first_name }} {{ unsubscribe_url }}".into(),
        html: "<p>{{ postal_address }} {{ coupon }}</p>".into(),
    };
    let report = validate_email(&bare).unwrap();
    assert_eq!(report.unknown_variables, vec!["coupon", "nickname"]);
    assert_eq!(
        report.missing,
        vec![
            MissingPart::PostalAddress("text"),
            MissingPart::UnsubscribeLink("html")
        ]
    );
    let mut set = TemplateSet::default();
    let err = set.add_email("bare", bare).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Template);
    assert_eq!(
        err.reason(),
        "unknown variables: coupon, nickname; missing: postal address in text, unsubscribe link in html"
    );

    let sms = SmsTemplate {
        body: "{{ brand_name }}: hi {{ first_name }}".into(),
    };
    assert_eq!(
        validate_sms(&sms).unwrap().missing,
        vec![MissingPart::OptOutText]
    );
    let err = set.add_sms("bare", sms).unwrap_err();
    assert_eq!(err.reason(), "missing: opt-out text");

    let broken = SmsTemplate {
        body: "{% for x in %}STOP".into(),
    };
    assert_eq!(validate_sms(&broken).unwrap_err().field(), Some("sms"));
}

#[test]
fn a_saved_template_replaces_the_default() {
    let mut set = TemplateSet::with_defaults().unwrap();
    set.add_sms(
        "welcome",
        SmsTemplate {
            body: "{{ brand_name }} says hi. Txt STOP to end.".into(),
        },
    )
    .unwrap();
    assert_eq!(
        set.preview_sms("welcome").unwrap(),
        "Acme Beauty says hi. Txt STOP to end."
    );
    let err = set
        .render_sms("missing", &WelcomeContext::sample())
        .unwrap_err();
    assert_eq!(err.reason(), "no such template");
}

/// Each attack must fail with a template error (and fail fast: these would
/// otherwise run for minutes or allocate gigabytes).
#[test]
fn attacks_fail_fast_with_template_errors() {
    let attacks = [
        (
            "recursive macro",
            "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
        ),
        (
            "huge range",
            "{% for i in range(100000) %}{{ i }}{% endfor %}",
        ),
        (
            "nested huge ranges",
            "{% for i in range(10000) %}{% for j in range(10000) %}x{% endfor %}{% endfor %}",
        ),
        ("string multiplication", "{{ 'x' * 100000000 }}"),
        (
            "string multiplication in a loop",
            "{% set s = 'xxxxxxxxxx' * 10000 %}{% for i in range(1000) %}{{ s }}{% endfor %}",
        ),
        ("list multiplication", "{{ [1, 2, 3] * 10000000 }}"),
        (
            "join of a repeated list",
            "{{ ([1, 2, 3] * 10000000)|join }}",
        ),
        (
            "loop over a repeated list",
            "{% for x in [1] * 100000000 %}{% endfor %}",
        ),
        (
            "replace with an empty pattern",
            "{{ ('x' * 50000)|replace('', 'y' * 50000) }}",
        ),
        ("indent", "{{ 'a\\nb'|indent(100000000) }}"),
        (
            "deep nesting",
            &format!(
                "{}x{}",
                "{% if true %}".repeat(600),
                "{% endif %}".repeat(600)
            ),
        ),
        (
            "deep expression",
            &format!("{{{{ {}1{} }}}}", "(".repeat(1000), ")".repeat(1000)),
        ),
        (
            "deep lists",
            &format!("{{{{ {}1{} }}}}", "[".repeat(1000), "]".repeat(1000)),
        ),
        ("huge source", &"x".repeat(100 * 1024)),
    ];
    for (what, source) in attacks {
        for html in [false, true] {
            let err = render_template(source, &json!({}), html)
                .err()
                .unwrap_or_else(|| panic!("{what}: rendered"));
            assert_eq!(err.kind(), ErrorKind::Template, "{what}: {err}");
        }
    }
}

#[test]
fn output_limit_is_enforced() {
    let set = TemplateSet::new(TemplateLimits {
        max_output_bytes: 100,
        ..TemplateLimits::default()
    });
    assert_eq!(
        set.render_str(&"x".repeat(100), &json!({}), false)
            .unwrap()
            .len(),
        100
    );
    let err = set
        .render_str(&"x".repeat(101), &json!({}), false)
        .unwrap_err();
    assert_eq!(err.reason(), "output exceeds 100 bytes");
}

fn ctx_with(value: &str) -> WelcomeContext {
    WelcomeContext {
        first_name: Some(value.to_owned()),
        brand_name: value.to_owned(),
        community_invite_url: value.to_owned(),
        unsubscribe_url: Some(value.to_owned()),
        postal_address: Some(value.to_owned()),
        sms_consent_url: Some(value.to_owned()),
    }
}

proptest! {
    /// Whatever the variables hold, `<script>` never reaches the HTML body
    /// unescaped, while the text body carries the value as given.
    #[test]
    fn script_never_unescaped_in_html(prefix in ".{0,12}", suffix in ".{0,12}") {
        let set = TemplateSet::with_defaults().unwrap();
        let value = format!("{prefix}<script>alert(1)</script>{suffix}");
        let email = set.render_email("welcome", &ctx_with(&value)).unwrap();
        prop_assert!(!email.html.to_lowercase().contains("<script"));
        prop_assert!(email.text.contains(&value));
    }
}
