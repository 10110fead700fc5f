//! Benchmarks for creator-crm live in `benches/`; this library holds the
//! input generators they share. Figures and commands are in `BENCHMARKS.md`.

pub mod heap;
pub mod merge;
pub mod store;
pub mod supporters;

/// A small deterministic xorshift generator, so inputs are the same on every run.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a non-zero seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    /// The next pseudo-random value.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A string of `n` random decimal digits.
    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

/// US area codes in service, so generated numbers are valid.
const AREA_CODES: &[&str] = &[
    "201", "202", "212", "213", "214", "305", "310", "312", "315", "323", "404", "415", "512",
    "602", "617", "646", "702", "713", "718", "773", "786", "805", "818", "832", "904", "917",
    "929", "972",
];

/// One distinct raw phone value, shaped like the cells of real exports:
/// about 62% full US numbers in seven layouts, 25% masked, 7% international,
/// 6% garbage.
pub fn raw_phone(rng: &mut Rng) -> String {
    let area = rng.pick(AREA_CODES).to_owned();
    let exchange = format!("{}{}", 2 + rng.below(8), rng.digits(2));
    let line = rng.digits(4);
    match rng.below(100) {
        0..=24 => format!("(+1){area}{exchange}{line}"),
        25..=33 => format!("({area}) {exchange}-{line}"),
        34..=42 => format!("{area}-{exchange}-{line}"),
        43..=48 => format!("{area}.{exchange}.{line}"),
        49..=54 => format!("+1 {area} {exchange} {line}"),
        55..=58 => format!("1{area}{exchange}{line}"),
        59..=61 => format!("{area}{exchange}{line} x{}", rng.digits(3)),
        62..=79 => format!("(+1){area}*****{}", &line[2..]),
        80..=84 => format!("***-***-{line}"),
        85..=86 => format!("+1 {area}-{exchange}-****"),
        87..=89 => format!("+44 20 7946 {}", rng.digits(4)),
        90..=91 => format!(
            "+33 1 42 {} {} {}",
            rng.digits(2),
            rng.digits(2),
            rng.digits(2)
        ),
        92..=93 => format!("+52 55 {} {}", rng.digits(4), rng.digits(4)),
        94 => String::new(),
        95 => "N/A".to_owned(),
        96 => format!("{exchange}-{line}"),
        97 => "call me".to_owned(),
        98 => rng.digits(3),
        _ => format!("+1 555 {exchange} {line}"),
    }
}

/// `distinct` raw phones, each repeated `repeats` times, shuffled: the shape of
/// a sample-orders export, where one creator's number appears on every order.
pub fn phone_mix(distinct: usize, repeats: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let values: Vec<String> = (0..distinct).map(|_| raw_phone(&mut rng)).collect();
    let mut out: Vec<String> = values
        .iter()
        .flat_map(|v| std::iter::repeat_n(v.clone(), repeats))
        .collect();
    for i in (1..out.len()).rev() {
        let j = rng.below(i + 1);
        out.swap(i, j);
    }
    out
}

/// Names as they come out of exports: mostly clean, some garbled once or twice.
pub fn name_mix(n: usize, seed: u64) -> Vec<String> {
    const NAMES: &[&str] = &[
        "Maria Cruz",
        "José Martínez",
        "François Dupont",
        "Müller Schmidt",
        "Zoë Ødegård",
        "李小龙",
        "Nguyễn Văn An",
        "Ana 🌸 Silva",
        "John Smith",
        "Paweł Żak",
    ];
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let name = rng.pick(NAMES).to_string();
            match rng.below(10) {
                0..=6 => name,
                7..=8 => garble(&name),
                _ => garble(&garble(&name)),
            }
        })
        .collect()
}

/// UTF-8 bytes read as Latin-1 with the Windows-1252 specials, as spreadsheet
/// tools do.
fn garble(s: &str) -> String {
    const SPECIALS: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    s.bytes()
        .map(|b| match b {
            0x80..=0x9F => SPECIALS[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use creator_crm::identity::{Phone, Region, parse_phones, repair_text};

    use super::*;

    #[test]
    fn batched_phones_equal_unbatched_on_the_bench_mix() {
        let mix = phone_mix(2_000, 10, 42);
        let batched = parse_phones(&mix, Region::US);
        assert_eq!(batched.len(), mix.len());
        let mut kinds = [0usize; 3];
        for (raw, got) in mix.iter().zip(&batched) {
            let single = Phone::parse(raw, Region::US);
            match (&single, got) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{raw:?}"),
                (Err(a), Err(b)) => assert_eq!(a.reason(), b.reason(), "{raw:?}"),
                _ => panic!("batched and single differ for {raw:?}"),
            }
            kinds[match got {
                Ok(p) if p.e164().is_some() => 0,
                Ok(_) => 1,
                Err(_) => 2,
            }] += 1;
        }
        // The mix is what it claims to be: mostly full, a quarter masked, some invalid.
        let share = |k: usize| kinds[k] * 100 / mix.len();
        assert!((60..=75).contains(&share(0)), "{kinds:?}");
        assert!((20..=30).contains(&share(1)), "{kinds:?}");
        assert!((3..=12).contains(&share(2)), "{kinds:?}");
    }

    #[test]
    fn garbled_names_repair_to_the_originals() {
        for name in name_mix(200, 7) {
            let repaired = repair_text(&name);
            assert!(
                !repaired.contains('Ã') && !repaired.contains('Å'),
                "{name:?} -> {repaired:?}"
            );
        }
    }
}
