//! Privacy benchmarks: the JSON sanitizer on a typical supporter document and
//! text redaction on a chat preview. Targets: >= 50K documents/s on one core
//! for `sanitize_json` on the ~2 KB sample.

use std::hint::black_box;

use creator_crm::privacy::{Policy, redact_text, sanitize_json};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

const SAMPLE: &str = include_str!("../../core/tests/data/supporter_sample.json");

fn sanitize(c: &mut Criterion) {
    let doc: serde_json::Value = serde_json::from_str(SAMPLE).unwrap_or_default();
    let policy = Policy::default();
    let mut group = c.benchmark_group("privacy");
    group.throughput(Throughput::Elements(1));
    group.bench_function("sanitize_json_2kb", |b| {
        b.iter_batched(
            || doc.clone(),
            |d| black_box(sanitize_json(d, &policy)),
            BatchSize::SmallInput,
        );
    });
    group.bench_function("parse_sanitize_serialize_2kb", |b| {
        b.iter(|| {
            let d: serde_json::Value = serde_json::from_str(black_box(SAMPLE)).unwrap_or_default();
            let out = sanitize_json(d, &policy);
            black_box(serde_json::to_string(&out.value).unwrap_or_default())
        });
    });
    // The same document with personal data only under personal keys (none
    // in free text): what most supporter payloads look like.
    let mut keys_only = doc.clone();
    for (path, text) in [
        ("/chat_preview/1/text", "see you at the next live!"),
        ("/chat_preview/2/text", "my vpn is acting up lol"),
        ("/items/2/note", "please ship soon"),
    ] {
        if let Some(v) = keys_only.pointer_mut(path) {
            *v = serde_json::Value::String(text.to_owned());
        }
    }
    group.bench_function("sanitize_json_2kb_pii_in_keys_only", |b| {
        b.iter_batched(
            || keys_only.clone(),
            |d| black_box(sanitize_json(d, &policy)),
            BatchSize::SmallInput,
        );
    });
    let preview = "omg loved the stream tonight!! 🎉 text me at 415.555.0134 or \
                   jane.doe@gmail.com, I'm at 123 Main St. order 578123456789012345 ships 2024-05-01";
    group.bench_function("redact_text_chat_preview", |b| {
        b.iter(|| black_box(redact_text(black_box(preview))));
    });
    let clean = "omg loved the stream tonight!! 🎉 can't wait for the next live, see you all there";
    group.bench_function("redact_text_clean_preview", |b| {
        b.iter(|| black_box(redact_text(black_box(clean))));
    });
    group.finish();
}

criterion_group!(benches, sanitize);
criterion_main!(benches);
