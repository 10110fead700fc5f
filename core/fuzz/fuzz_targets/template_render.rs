//! Compiling and rendering any template source never panics, and either
//! fails with a template error or stays within the output limit; with HTML
//! escaping on, every variable holds `<script>` and yet a `<` reaches the
//! output only when the template's own text has one.
#![no_main]

use creator_crm::{
    ErrorKind,
    outreach::{TemplateLimits, TemplateSet, WelcomeContext, sms_keyword, sms_segments},
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &str| {
    let set = TemplateSet::default();
    let value = "<script>x</script>".to_owned();
    let ctx = WelcomeContext {
        first_name: Some(value.clone()),
        brand_name: value.clone(),
        community_invite_url: value.clone(),
        unsubscribe_url: Some(value.clone()),
        postal_address: Some(value.clone()),
        sms_consent_url: Some(value),
    };
    for html in [false, true] {
        match set.render_str(source, &ctx, html) {
            Ok(out) => {
                assert!(out.len() <= TemplateLimits::default().max_output_bytes);
                if html && !source.contains('<') {
                    assert!(!out.contains('<'));
                }
                let _ = sms_segments(&out);
            }
            Err(e) => assert_eq!(e.kind(), ErrorKind::Template),
        }
    }
    let _ = sms_keyword(source);
});
