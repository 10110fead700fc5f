//! Deterministic generator of the six messy creator-CRM source exports.
//!
//! Every creator is derived from `(seed, index)` alone, so files of any size
//! are written in one streaming pass with constant memory, and the same seed
//! always gives byte-identical files. The files carry the problems of the real
//! exports:
//!
//! - handles in mixed case, with `@`, spaces and profile URLs;
//! - full and masked phones in mixed formats (`(+1)3159212129`, `(+1)832*****59`,
//!   `***-***-1234`), and full numbers that contradict a mask;
//! - repeated rows in `phone_numbers` (written in cp1252), duplicate sample and video rows;
//! - ~45% of creators without an email; placeholders (`n/a`, `test@test.com`, …),
//!   shared team inboxes and bad syntax among the rest;
//! - mojibake names (`JosÃ© MartÃ­nez`), states written out, ZIPs that lost their
//!   leading zero;
//! - conflicting values across sources (another phone, a new address);
//! - invalid handles and unreadable numbers on a few rows;
//! - creators that were erased (listed in `erased.txt`, to be suppressed);
//! - sample_orders' description row under the header, the videos header with a
//!   trailing space, a BOM on the euka file.

use std::{
    fs::File,
    io::{self, BufWriter, Write},
    path::Path,
};

/// The files written, as `(source kind, file name)`.
pub const FILES: [(&str, &str); 6] = [
    ("sample_orders", "sample_orders.csv"),
    ("euka", "euka.csv"),
    ("phone_numbers", "phone_numbers.csv"),
    ("refunnel", "refunnel.csv"),
    ("videos", "videos.csv"),
    ("products", "products.csv"),
];

/// Name of the file listing erased creators' handles, one per line.
pub const ERASED_FILE: &str = "erased.txt";

/// Average source rows written per creator (used to size a run by rows).
pub const ROWS_PER_CREATOR: f64 = 8.6;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Number of distinct creators.
    pub creators: usize,
    /// Seed; the same seed gives the same files.
    pub seed: u64,
}

impl Config {
    /// A config writing about `rows` source rows in total.
    pub fn for_rows(rows: usize, seed: u64) -> Config {
        let creators = ((rows as f64) / ROWS_PER_CREATOR).round().max(1.0) as usize;
        Config { creators, seed }
    }
}

/// Rows written per file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// sample_orders rows (description row excluded).
    pub sample_orders: u64,
    /// euka rows.
    pub euka: u64,
    /// phone_numbers rows.
    pub phone_numbers: u64,
    /// refunnel rows.
    pub refunnel: u64,
    /// videos rows.
    pub videos: u64,
    /// products rows.
    pub products: u64,
    /// erased creators listed.
    pub erased: u64,
}

impl Counts {
    /// All source rows.
    pub fn total(&self) -> u64 {
        self.sample_orders
            + self.euka
            + self.phone_numbers
            + self.refunnel
            + self.videos
            + self.products
    }
}

/// The seven outputs, in [`FILES`] order then the erased list.
pub struct Sinks<W> {
    /// sample_orders.csv
    pub sample_orders: W,
    /// euka.csv
    pub euka: W,
    /// phone_numbers.csv
    pub phone_numbers: W,
    /// refunnel.csv
    pub refunnel: W,
    /// videos.csv
    pub videos: W,
    /// products.csv
    pub products: W,
    /// erased.txt
    pub erased: W,
}

/// SplitMix64: tiny, fast, good enough for test data, and stable across versions.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const FIRST: &[&str] = &[
    "José",
    "María",
    "Ana",
    "Luis",
    "Zoë",
    "François",
    "Chloé",
    "Renée",
    "Andrés",
    "Sofía",
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Ava",
    "Mia",
    "Ethan",
    "Isabella",
    "Lucas",
    "Amelia",
    "Mateo",
    "Harper",
    "Jayden",
    "Aaliyah",
    "Kai",
    "Maya",
    "Jordan",
    "Taylor",
    "Björn",
    "Noël",
];
const LAST: &[&str] = &[
    "Martínez",
    "García",
    "Peña",
    "Müller",
    "Nuñez",
    "López",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Davis",
    "Miller",
    "Wilson",
    "Moore",
    "Anderson",
    "Thomas",
    "Jackson",
    "White",
    "Harris",
    "de la Cruz",
    "O'Brien",
    "Nguyen",
    "Kim",
    "Patel",
    "Rossi",
    "Dubois",
    "Søren",
    "Castaño",
    "Ibáñez",
];
/// `(city, state code, state name, zip)`.
type Place = (&'static str, &'static str, &'static str, &'static str);

const PLACES: &[Place] = &[
    ("Austin", "TX", "Texas", "78701"),
    ("Houston", "TX", "Texas", "77002"),
    ("Boston", "MA", "Massachusetts", "02134"),
    ("Newark", "NJ", "New Jersey", "07102"),
    ("New York", "NY", "New York", "10001"),
    ("Los Angeles", "CA", "California", "90012"),
    ("San Diego", "CA", "California", "92101"),
    ("Chicago", "IL", "Illinois", "60601"),
    ("Miami", "FL", "Florida", "33101"),
    ("Seattle", "WA", "Washington", "98101"),
    ("Denver", "CO", "Colorado", "80202"),
    ("Atlanta", "GA", "Georgia", "30303"),
    ("Portland", "ME", "Maine", "04101"),
    ("Phoenix", "AZ", "Arizona", "85004"),
    ("Nashville", "TN", "Tennessee", "37203"),
];
const STREETS: &[&str] = &[
    "Main St",
    "Oak Ave",
    "Maple Dr",
    "Cedar Ln",
    "Elm St",
    "Sunset Blvd",
    "Pine Rd",
    "Lakeview Ct",
    "Highland Ave",
    "2nd St",
];
const AREA: &[&str] = &[
    "212", "213", "312", "315", "404", "415", "512", "617", "650", "702", "713", "832", "917",
    "206", "305",
];
const DOMAINS: &[&str] = &[
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "icloud.com",
    "hotmail.com",
];
const PLACEHOLDERS: &[&str] = &[
    "n/a",
    "none",
    "-",
    "test@test.com",
    "noreply@tiktok.com",
    "N/A",
];
const SHARED: &[&str] = &["collabs@bigtalent.agency", "team@creatorhouse.co"];
const STATUSES: &[&str] = &[
    "Delivered",
    "Shipped",
    "Awaiting shipment",
    "Completed",
    "Cancelled",
];
const PRODUCT_WORDS: &[&str] = &[
    "Glow Serum",
    "Hydra Cream",
    "LED Lamp",
    "Yoga Mat",
    "Protein Bar",
    "Phone Grip",
    "Hair Oil",
    "Lip Tint",
    "Water Bottle",
    "Mini Blender",
];
const VARIATIONS: &[&str] = &[
    "Color: Black, Size: M",
    "Default",
    "Pink",
    "Size: L",
    "30ml",
];
const TITLES: &[&str] = &[
    "My morning routine ✨",
    "Honest review, no sponsor",
    "GRWM: \"date night\" edition",
    "3 ways to use this\nyou'll love #2",
    "Unboxing 📦",
    "Is it worth it?",
];

fn ascii_fold(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let c = match c {
                'á' | 'à' | 'ä' | 'â' | 'ã' => 'a',
                'é' | 'è' | 'ë' | 'ê' => 'e',
                'í' | 'ì' | 'ï' => 'i',
                'ó' | 'ò' | 'ö' | 'ô' | 'ø' => 'o',
                'ú' | 'ù' | 'ü' => 'u',
                'ñ' => 'n',
                'ç' => 'c',
                c => c.to_ascii_lowercase(),
            };
            c.is_ascii_alphanumeric().then_some(c)
        })
        .collect()
}

fn base36(mut n: u64) -> String {
    let digits = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(digits[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// UTF-8 text read as cp1252: the mojibake the exports carry.
pub fn mojibake(s: &str) -> String {
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(s.as_bytes())
        .0
        .into_owned()
}

/// One generated person.
struct Persona {
    handle: String,
    first: &'static str,
    last: &'static str,
    phone: String,
    other_phone: Option<String>,
    email: Option<String>,
    street: String,
    unit: String,
    place: Place,
    moved: Option<(String, Place)>,
    followers: u64,
    gmv_cents: u64,
    erased: bool,
}

fn phone_digits(rng: &mut Rng) -> String {
    let area = rng.pick(AREA);
    let exch = loop {
        let e = 200 + rng.below(800);
        if e != 555 && e % 100 != 11 {
            break e;
        }
    };
    format!("{area}{exch}{:04}", rng.below(10_000))
}

impl Persona {
    fn new(seed: u64, idx: u64) -> Persona {
        let mut rng = Rng::new(seed ^ idx.wrapping_mul(0x2545_F491_4F6C_DD1D));
        let first = *rng.pick(FIRST);
        let last = *rng.pick(LAST);
        let sep = *rng.pick(&[".", "_", ""]);
        let mut handle = format!("{}{sep}{}", ascii_fold(first), ascii_fold(last));
        handle.truncate(17);
        handle.push_str(&base36(idx));
        let phone = phone_digits(&mut rng);
        let other_phone = rng.chance(0.06).then(|| phone_digits(&mut rng));
        let email = if rng.chance(0.45) {
            None
        } else {
            let r = rng.below(100);
            Some(if r < 5 {
                (*rng.pick(PLACEHOLDERS)).to_owned()
            } else if r < 9 {
                (*rng.pick(SHARED)).to_owned()
            } else if r < 10 {
                format!("{}@@{}", ascii_fold(first), rng.pick(DOMAINS))
            } else {
                let e = format!(
                    "{}.{}{}@{}",
                    ascii_fold(first),
                    ascii_fold(last),
                    rng.below(100),
                    rng.pick(DOMAINS)
                );
                if rng.chance(0.2) {
                    format!(" {}", e.to_uppercase())
                } else {
                    e
                }
            })
        };
        let street = format!("{} {}", 1 + rng.below(9_999), rng.pick(STREETS));
        let unit = if rng.chance(0.2) {
            format!("Apt {}", 1 + rng.below(40))
        } else {
            String::new()
        };
        let place = *rng.pick(PLACES);
        let moved = rng.chance(0.1).then(|| {
            (
                format!("{} {}", 1 + rng.below(9_999), rng.pick(STREETS)),
                *rng.pick(PLACES),
            )
        });
        let followers = match rng.below(10) {
            0..=5 => 500 + rng.below(20_000),
            6..=8 => 20_000 + rng.below(500_000),
            _ => 500_000 + rng.below(5_000_000),
        };
        let gmv_cents = rng.below(followers * 40);
        Persona {
            handle,
            first,
            last,
            phone,
            other_phone,
            email,
            street,
            unit,
            place,
            moved,
            followers,
            gmv_cents,
            erased: rng.chance(0.005),
        }
    }

    fn raw_handle(&self, rng: &mut Rng) -> String {
        if rng.chance(0.004) {
            return (*rng.pick(&["", "x", "not a handle!", "@", "ab cd"])).to_owned();
        }
        match rng.below(8) {
            0 => format!("@{}", self.handle),
            1 => format!("@{}", mixed_case(&self.handle, rng)),
            2 => format!(" {} ", self.handle.to_uppercase()),
            3 => format!("https://www.tiktok.com/@{}?lang=en", self.handle),
            4 => format!("@{} ", self.handle),
            _ => self.handle.clone(),
        }
    }

    fn full_phone(&self, digits: &str, rng: &mut Rng) -> String {
        let (a, b, c) = (&digits[..3], &digits[3..6], &digits[6..]);
        match rng.below(7) {
            0 => format!("(+1){digits}"),
            1 => format!("{a}-{b}-{c}"),
            2 => format!("({a}) {b}-{c}"),
            3 => format!("+1 {a} {b} {c}"),
            4 => digits.to_owned(),
            5 => format!("+1-{a}-{b}-{c}"),
            _ => format!("1 ({a}) {b}-{c}"),
        }
    }

    fn masked_phone(&self, rng: &mut Rng) -> String {
        let d = &self.phone;
        match rng.below(4) {
            0 | 1 => format!("(+1){}*****{}", &d[..3], &d[8..]),
            2 => format!("***-***-{}", &d[6..]),
            _ => format!("+1 {}-{}-****", &d[..3], &d[3..6]),
        }
    }

    fn full_name(&self, rng: &mut Rng) -> String {
        let n = format!("{} {}", self.first, self.last);
        if rng.chance(0.15) { mojibake(&n) } else { n }
    }

    fn one_line_address(&self) -> String {
        let (city, state, _, zip) = self.place;
        if self.unit.is_empty() {
            format!("{}, {city}, {state} {zip}", self.street)
        } else {
            format!("{}, {}, {city}, {state} {zip}", self.street, self.unit)
        }
    }
}

fn mixed_case(s: &str, rng: &mut Rng) -> String {
    s.chars()
        .map(|c| {
            if rng.chance(0.4) {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

fn money(cents: u64) -> String {
    let dollars = cents / 100;
    let mut s = dollars.to_string();
    let mut i = s.len();
    while i > 3 {
        i -= 3;
        s.insert(i, ',');
    }
    format!("${s}.{:02}", cents % 100)
}

fn compact(n: u64, rng: &mut Rng) -> String {
    if n >= 1_000_000 && rng.chance(0.7) {
        format!("{:.1}M", n as f64 / 1e6)
    } else if n >= 10_000 && rng.chance(0.7) {
        format!("{:.1}K", n as f64 / 1e3)
    } else if n >= 1_000 && rng.chance(0.5) {
        money(n * 100)
            .trim_start_matches('$')
            .trim_end_matches(".00")
            .to_owned()
    } else {
        n.to_string()
    }
}

/// Days since 2024-01-01 → `(y, m, d)`.
fn ymd(day: u64) -> (u64, u64, u64) {
    const MONTHS: [u64; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut y, mut d) = (2024, day % 730);
    if d >= 366 {
        y = 2025;
        d -= 366;
    }
    let mut m = 0;
    while m < 12 {
        let len = if m == 1 && y == 2025 { 28 } else { MONTHS[m] };
        if d < len {
            break;
        }
        d -= len;
        m += 1;
    }
    (y, m as u64 + 1, d + 1)
}

fn us_datetime(day: u64, rng: &mut Rng) -> String {
    let (y, m, d) = ymd(day);
    let h = 1 + rng.below(12);
    let ampm = if rng.chance(0.5) { "AM" } else { "PM" };
    format!(
        "{m:02}/{d:02}/{y} {h:02}:{:02}:{:02} {ampm}",
        rng.below(60),
        rng.below(60)
    )
}

fn iso_date(day: u64) -> String {
    let (y, m, d) = ymd(day);
    format!("{y}-{m:02}-{d:02}")
}

/// Writes CSV rows, quoting when needed, in UTF-8 or cp1252.
struct RowWriter<W: Write> {
    out: W,
    cp1252: bool,
    buf: String,
    rows: u64,
}

impl<W: Write> RowWriter<W> {
    fn new(out: W, cp1252: bool) -> Self {
        RowWriter {
            out,
            cp1252,
            buf: String::new(),
            rows: 0,
        }
    }

    fn row(&mut self, fields: &[&str]) -> io::Result<()> {
        self.buf.clear();
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.buf.push(',');
            }
            if f.contains([',', '"', '\n', '\r']) {
                self.buf.push('"');
                self.buf.push_str(&f.replace('"', "\"\""));
                self.buf.push('"');
            } else {
                self.buf.push_str(f);
            }
        }
        self.buf.push_str("\r\n");
        if self.cp1252 {
            let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&self.buf);
            self.out.write_all(&bytes)?;
        } else {
            self.out.write_all(self.buf.as_bytes())?;
        }
        self.rows += 1;
        Ok(())
    }
}

const SAMPLE_HEADER: &[&str] = &[
    "Order ID",
    "SKU ID",
    "Product Name",
    "Variation",
    "Quantity",
    "Buyer Username",
    "Recipient",
    "Phone #",
    "Address Line 1",
    "Address Line 2",
    "City",
    "State",
    "Zipcode",
    "Country",
    "Order Status",
    "Created Time",
    "Shipped Time",
    "Delivered Time",
];
const SAMPLE_DESCRIPTION: &[&str] = &[
    "Platform unique order ID.",
    "Platform unique SKU ID.",
    "Name of the product.",
    "Variation of the SKU.",
    "Quantity ordered.",
    "Buyer's TikTok username.",
    "Name of the recipient.",
    "Recipient's phone number.",
    "Street address.",
    "Apartment, suite, unit.",
    "City.",
    "State.",
    "ZIP code.",
    "Country or region.",
    "Status of the order.",
    "Time the order was created.",
    "Time the order was shipped.",
    "Time the order was delivered.",
];
const EUKA_HEADER: &[&str] = &[
    "Handle",
    "Email",
    "Phone",
    "Address",
    "First Name",
    "Last Name",
];
const PHONES_HEADER: &[&str] = &[
    "Username",
    "Recipient",
    "First Name",
    "Last Name",
    "Phone #",
];
const REFUNNEL_HEADER: &[&str] = &[
    "username",
    "profile",
    "followers",
    "emv",
    "gmv",
    "platform",
    "last_post",
    "total_posts",
    "likes",
    "comments",
    "shares",
    "engagement",
    "impressions",
];
const VIDEOS_HEADER: &[&str] = &[
    "Video name",
    "Video link",
    "Video post date",
    "Creator username",
    "GMV",
    "Affiliate items sold ",
    "Affiliate orders",
    "Shoppable video impressions",
    "Shoppable video likes",
    "Shoppable video comments",
    "Affiliate CTR",
    "Est. commission",
    "Product ID",
];
const PRODUCTS_HEADER: &[&str] = &["Product ID", "Product Name", "GMV", "Items Sold", "Orders"];

fn product_count(creators: usize) -> u64 {
    (creators as u64 / 20).clamp(10, 5_000)
}

fn product_id(p: u64) -> String {
    format!("17299{:08}", p * 7 + 3)
}

/// Writes all files for `cfg` into `sinks`, streaming.
///
/// # Errors
/// Any write error.
pub fn generate<W: Write>(cfg: &Config, sinks: Sinks<W>) -> io::Result<Counts> {
    let mut samples = RowWriter::new(sinks.sample_orders, false);
    let mut euka = RowWriter::new(sinks.euka, false);
    let mut phones = RowWriter::new(sinks.phone_numbers, true);
    let mut refunnel = RowWriter::new(sinks.refunnel, false);
    let mut videos = RowWriter::new(sinks.videos, false);
    let mut products = RowWriter::new(sinks.products, false);
    let mut erased = sinks.erased;
    let mut counts = Counts::default();

    euka.out.write_all(b"\xEF\xBB\xBF")?;
    samples.row(SAMPLE_HEADER)?;
    samples.row(SAMPLE_DESCRIPTION)?;
    euka.row(EUKA_HEADER)?;
    phones.row(PHONES_HEADER)?;
    refunnel.row(REFUNNEL_HEADER)?;
    videos.row(VIDEOS_HEADER)?;
    products.row(PRODUCTS_HEADER)?;

    let n_products = product_count(cfg.creators);
    for i in 0..cfg.creators as u64 {
        let p = Persona::new(cfg.seed, i);
        let mut rng = Rng::new(cfg.seed.wrapping_add(0xABCD) ^ i.wrapping_mul(0x9E37_79B9));
        if p.erased {
            writeln!(erased, "{}", p.handle)?;
            counts.erased += 1;
        }
        // euka: the contact list.
        if rng.chance(0.6) {
            let phone = match rng.below(10) {
                0..=4 => p.full_phone(&p.phone, &mut rng),
                5 => p.masked_phone(&mut rng),
                _ => String::new(),
            };
            let split = rng.chance(0.5);
            let address = if rng.chance(0.7) {
                p.one_line_address()
            } else {
                String::new()
            };
            euka.row(&[
                &p.raw_handle(&mut rng),
                p.email.as_deref().unwrap_or(""),
                &phone,
                &address,
                if split { p.first } else { "" },
                if split { p.last } else { "" },
            ])?;
        }
        // phone_numbers: raw, repeated rows, cp1252.
        if rng.chance(0.5) {
            let digits = p.other_phone.as_deref().unwrap_or(&p.phone);
            let row = [
                p.raw_handle(&mut rng),
                p.full_name(&mut rng),
                p.first.to_owned(),
                p.last.to_owned(),
                p.full_phone(digits, &mut rng),
            ];
            let refs: Vec<&str> = row.iter().map(String::as_str).collect();
            for _ in 0..1 + rng.below(3) {
                phones.row(&refs)?;
            }
        }
        // refunnel: metrics.
        if rng.chance(0.7) {
            let (user, profile) = if rng.chance(0.05) {
                (
                    String::new(),
                    format!("https://www.tiktok.com/@{}", p.handle),
                )
            } else {
                (
                    p.raw_handle(&mut rng),
                    format!("https://www.tiktok.com/@{}", p.handle),
                )
            };
            let followers = if rng.chance(0.01) {
                "n/a".to_owned()
            } else {
                compact(p.followers, &mut rng)
            };
            let likes = p.followers * (1 + rng.below(20));
            refunnel.row(&[
                &user,
                &profile,
                &followers,
                &money(p.gmv_cents / 3),
                &money(p.gmv_cents),
                "TikTok",
                &iso_date(400 + rng.below(300)),
                &(5 + rng.below(400)).to_string(),
                &compact(likes, &mut rng),
                &(likes / 50).to_string(),
                &(likes / 200).to_string(),
                &format!("{}.{}%", rng.below(15), rng.below(10)),
                &compact(likes * 8, &mut rng),
            ])?;
        }
        // sample_orders: free samples, masked phones, full addresses.
        let n_samples = rng.below(7);
        for j in 0..n_samples {
            let order = format!("57{:016}", i * 8 + j);
            let prod = rng.below(n_products);
            let (street, place) = match (&p.moved, j % 2) {
                (Some((s, pl)), 1) => (s.clone(), *pl),
                _ => (p.street.clone(), p.place),
            };
            let (city, code, state_name, zip) = place;
            let state = match rng.below(4) {
                0 => state_name.to_owned(),
                1 => code.to_lowercase(),
                _ => code.to_owned(),
            };
            let zip = if zip.starts_with('0') && rng.chance(0.2) {
                zip.trim_start_matches('0').to_owned()
            } else {
                zip.to_owned()
            };
            let phone = if rng.chance(0.8) {
                p.masked_phone(&mut rng)
            } else {
                p.full_phone(&p.phone, &mut rng)
            };
            let created = rng.below(700);
            let status = *rng.pick(STATUSES);
            let shipped = if status == "Awaiting shipment" {
                String::new()
            } else {
                us_datetime(created + 1, &mut rng)
            };
            let delivered = if matches!(status, "Delivered" | "Completed") {
                us_datetime(created + 4, &mut rng)
            } else {
                String::new()
            };
            let row = [
                order,
                format!("{}", 1_729_000_000_000 + prod * 31),
                PRODUCT_WORDS[(prod % PRODUCT_WORDS.len() as u64) as usize].to_owned(),
                (*rng.pick(VARIATIONS)).to_owned(),
                "1".to_owned(),
                p.raw_handle(&mut rng),
                p.full_name(&mut rng),
                phone,
                street,
                if j % 2 == 1 && p.moved.is_some() {
                    String::new()
                } else {
                    p.unit.clone()
                },
                city.to_owned(),
                state,
                zip,
                (*rng.pick(&["US", "United States", "US"])).to_owned(),
                status.to_owned(),
                us_datetime(created, &mut rng),
                shipped,
                delivered,
            ];
            let refs: Vec<&str> = row.iter().map(String::as_str).collect();
            samples.row(&refs)?;
            if rng.chance(0.05) {
                samples.row(&refs)?;
            }
        }
        // videos.
        let n_videos = rng.below(7);
        for j in 0..n_videos {
            let vid = format!("73{:017}", i * 8 + j);
            let gmv = rng.below(p.gmv_cents / 4 + 1);
            let impressions = 1_000 + rng.below(p.followers * 3 + 1);
            let row = [
                (*rng.pick(TITLES)).to_owned(),
                format!("https://www.tiktok.com/@{}/video/{vid}", p.handle),
                iso_date(600 + rng.below(90)),
                p.raw_handle(&mut rng),
                money(gmv),
                (gmv / 2_500).to_string(),
                (gmv / 3_000).to_string(),
                compact(impressions, &mut rng),
                (impressions / 20).to_string(),
                (impressions / 400).to_string(),
                format!("{}.{}%", rng.below(8), rng.below(10)),
                money(gmv / 10),
                product_id(rng.below(n_products)),
            ];
            let refs: Vec<&str> = row.iter().map(String::as_str).collect();
            videos.row(&refs)?;
            if rng.chance(0.03) {
                videos.row(&refs)?;
            }
        }
    }
    let mut rng = Rng::new(cfg.seed ^ 0x5052_4F44);
    for pid in 0..n_products {
        let cents = rng.below(5_000_000);
        products.row(&[
            &product_id(pid),
            &format!(
                "{} {}",
                PRODUCT_WORDS[(pid % PRODUCT_WORDS.len() as u64) as usize],
                pid
            ),
            &money(cents),
            &(cents / 2_000).to_string(),
            &(cents / 2_500).to_string(),
        ])?;
    }
    counts.sample_orders = samples.rows - 2;
    counts.euka = euka.rows - 1;
    counts.phone_numbers = phones.rows - 1;
    counts.refunnel = refunnel.rows - 1;
    counts.videos = videos.rows - 1;
    counts.products = products.rows - 1;
    for w in [
        &mut samples.out,
        &mut euka.out,
        &mut phones.out,
        &mut refunnel.out,
        &mut videos.out,
        &mut products.out,
    ] {
        w.flush()?;
    }
    erased.flush()?;
    Ok(counts)
}

/// Writes all files into `dir` (created if needed).
///
/// # Errors
/// Any I/O error.
pub fn generate_to_dir(cfg: &Config, dir: &Path) -> io::Result<Counts> {
    std::fs::create_dir_all(dir)?;
    let open = |name: &str| -> io::Result<BufWriter<File>> {
        Ok(BufWriter::with_capacity(
            1 << 16,
            File::create(dir.join(name))?,
        ))
    };
    generate(
        cfg,
        Sinks {
            sample_orders: open(FILES[0].1)?,
            euka: open(FILES[1].1)?,
            phone_numbers: open(FILES[2].1)?,
            refunnel: open(FILES[3].1)?,
            videos: open(FILES[4].1)?,
            products: open(FILES[5].1)?,
            erased: open(ERASED_FILE)?,
        },
    )
}

/// Generated files held in memory, for benchmarks.
#[derive(Debug, Clone, Default)]
pub struct InMemory {
    /// `(source kind, file name, bytes)` in [`FILES`] order.
    pub files: Vec<(&'static str, &'static str, Vec<u8>)>,
    /// Erased handles.
    pub erased: Vec<String>,
    /// Row counts.
    pub counts: Counts,
}

/// Generates all files into memory.
///
/// # Errors
/// Never in practice (writes go to `Vec`s).
pub fn generate_in_memory(cfg: &Config) -> io::Result<InMemory> {
    let mut bufs: [Vec<u8>; 7] = Default::default();
    let counts = {
        let [a, b, c, d, e, f, g] = &mut bufs;
        generate(
            cfg,
            Sinks {
                sample_orders: a,
                euka: b,
                phone_numbers: c,
                refunnel: d,
                videos: e,
                products: f,
                erased: g,
            },
        )?
    };
    let [a, b, c, d, e, f, g] = bufs;
    let erased = String::from_utf8_lossy(&g)
        .lines()
        .map(str::to_owned)
        .collect();
    Ok(InMemory {
        files: FILES
            .iter()
            .zip([a, b, c, d, e, f])
            .map(|(&(k, n), bytes)| (k, n, bytes))
            .collect(),
        erased,
        counts,
    })
}

impl InMemory {
    /// The same files with each file's data rows in a random order (header and
    /// sample_orders' description row kept first): as exports sorted by time rather than
    /// by creator arrive, a creator's rows spread over the whole file.
    pub fn interleaved(&self, seed: u64) -> InMemory {
        let mut rng = Rng::new(seed ^ 0x1e7e_a7ed);
        let files = self
            .files
            .iter()
            .map(|&(kind, name, ref bytes)| {
                let head = if kind == "sample_orders" { 2 } else { 1 };
                (kind, name, shuffle_rows(bytes, head, &mut rng))
            })
            .collect();
        InMemory {
            files,
            erased: self.erased.clone(),
            counts: self.counts,
        }
    }
}

impl InMemory {
    /// The same files as real exports are ordered: sample_orders by Created Time and
    /// videos by post date (oldest first, rows of the same time in their generated order),
    /// so a creator's rows spread over the file and an exact duplicate row sits next to its
    /// original; the contact lists and the metrics report, which have no time of their
    /// own, keep one row per creator in the order creators were added.
    pub fn time_ordered(&self) -> InMemory {
        InMemory {
            files: self
                .files
                .iter()
                .map(|&(kind, name, ref bytes)| (kind, name, sort_by_time(kind, bytes)))
                .collect(),
            erased: self.erased.clone(),
            counts: self.counts,
        }
    }
}

impl InMemory {
    /// Writes the files (and the erased list) into `dir`, created if needed.
    ///
    /// # Errors
    /// Any I/O error.
    pub fn write_to_dir(&self, dir: &Path) -> io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for (_, name, bytes) in &self.files {
            std::fs::write(dir.join(name), bytes)?;
        }
        let mut erased = self.erased.join("\n");
        if !erased.is_empty() {
            erased.push('\n');
        }
        std::fs::write(dir.join(ERASED_FILE), erased)
    }
}

/// The file's records (each with its line ending), split where a newline is outside quotes.
fn split_records(bytes: &[u8]) -> Vec<&[u8]> {
    let mut records: Vec<&[u8]> = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                records.push(&bytes[start..=i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < bytes.len() {
        records.push(&bytes[start..]);
    }
    records
}

/// The CSV records of `bytes` (each ending with CRLF outside quotes), the first `head`
/// kept in place and the rest shuffled. A UTF-8 BOM stays at the start.
fn shuffle_rows(bytes: &[u8], head: usize, rng: &mut Rng) -> Vec<u8> {
    let mut records = split_records(bytes);
    let head = head.min(records.len());
    let body = &mut records[head..];
    for i in (1..body.len()).rev() {
        body.swap(i, rng.below(i as u64 + 1) as usize);
    }
    records.concat()
}

/// Field `n` of one CSV record, quotes left on (the time fields are never quoted).
fn field(record: &[u8], n: usize) -> &[u8] {
    let (mut at, mut start, mut quoted) = (0, 0, false);
    for (i, &b) in record.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b',' | b'\r' | b'\n' if !quoted => {
                if at == n {
                    return &record[start..i];
                }
                at += 1;
                start = i + 1;
            }
            _ => {}
        }
    }
    if at == n { &record[start..] } else { b"" }
}

/// `MM/DD/YYYY hh:mm:ss AM` as a key that sorts in time order (`YYYYMMDD`, 24-hour
/// `hhmmss`); anything else sorts first.
fn us_datetime_key(text: &[u8]) -> [u8; 14] {
    let mut key = [b'0'; 14];
    if text.len() != 22 {
        return key;
    }
    let at = |i: usize, n: usize| &text[i..i + n];
    key[..4].copy_from_slice(at(6, 4));
    key[4..6].copy_from_slice(at(0, 2));
    key[6..8].copy_from_slice(at(3, 2));
    let hour = std::str::from_utf8(at(11, 2))
        .ok()
        .and_then(|h| h.parse::<u8>().ok())
        .unwrap_or(0)
        % 12
        + if at(20, 2) == b"PM" { 12 } else { 0 };
    key[8] = b'0' + hour / 10;
    key[9] = b'0' + hour % 10;
    key[10..12].copy_from_slice(at(14, 2));
    key[12..14].copy_from_slice(at(17, 2));
    key
}

/// The file's data rows sorted by their time column (oldest first; rows of the same
/// time keep their order), header rows first; files without one are returned as they are.
fn sort_by_time(kind: &str, bytes: &[u8]) -> Vec<u8> {
    let mut records = split_records(bytes);
    match kind {
        "sample_orders" if records.len() > 2 => {
            // Created Time, as the order list is sorted.
            records[2..].sort_by_cached_key(|r| us_datetime_key(field(r, 15)));
        }
        "videos" if records.len() > 1 => {
            // Video post date (ISO, so its bytes sort in time order).
            records[1..].sort_by_key(|r| field(r, 2));
        }
        _ => return bytes.to_vec(),
    }
    records.concat()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn interleaving_keeps_every_row_and_the_headers() {
        let a = generate_in_memory(&Config::for_rows(3_000, 5)).unwrap();
        let b = a.interleaved(9);
        for ((k, _, x), (_, _, y)) in a.files.iter().zip(&b.files) {
            let rows = |bytes: &[u8]| {
                let text = String::from_utf8_lossy(bytes).into_owned();
                let mut r = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(text.as_bytes());
                let recs: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
                recs
            };
            let (rx, ry) = (rows(x), rows(y));
            let head = if *k == "sample_orders" { 2 } else { 1 };
            assert_eq!(rx[..head], ry[..head], "{k}");
            assert_ne!(rx, ry, "{k} rows moved");
            let sorted = |mut v: Vec<csv::StringRecord>| {
                v.sort_by(|a, b| a.iter().cmp(b.iter()));
                v
            };
            assert_eq!(sorted(rx), sorted(ry), "{k} same rows");
        }
        assert_eq!(a.files[1].2.get(..3), b.files[1].2.get(..3), "BOM first");
    }

    #[test]
    fn time_order_sorts_orders_and_videos_and_keeps_every_row() {
        let a = generate_in_memory(&Config::for_rows(3_000, 5)).unwrap();
        let b = a.time_ordered();
        let rows = |bytes: &[u8]| -> Vec<Vec<String>> {
            let text = String::from_utf8_lossy(bytes).into_owned();
            csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(text.as_bytes())
                .records()
                .map(|r| r.unwrap().iter().map(str::to_owned).collect())
                .collect()
        };
        for ((k, _, x), (_, _, y)) in a.files.iter().zip(&b.files) {
            let (mut rx, mut ry) = (rows(x), rows(y));
            match *k {
                "sample_orders" => {
                    assert_eq!(rx[..2], ry[..2]);
                    let keys: Vec<[u8; 14]> = ry[2..]
                        .iter()
                        .map(|r| us_datetime_key(r[15].as_bytes()))
                        .collect();
                    assert!(keys.windows(2).all(|w| w[0] <= w[1]));
                    assert_ne!(keys[0], [b'0'; 14], "{}", ry[2][15]);
                    assert_ne!(rx, ry, "rows moved");
                }
                "videos" => {
                    assert!(ry[1..].windows(2).all(|w| w[0][2] <= w[1][2]));
                    assert_ne!(rx, ry, "rows moved");
                }
                _ => assert_eq!(x, y, "{k} as generated"),
            }
            rx.sort();
            ry.sort();
            assert_eq!(rx, ry, "{k} same rows");
        }
    }

    #[test]
    fn us_datetime_keys_read_the_twelve_hour_clock() {
        assert_eq!(
            &us_datetime_key(b"03/07/2025 12:05:09 AM"),
            b"20250307000509"
        );
        assert_eq!(
            &us_datetime_key(b"03/07/2025 12:05:09 PM"),
            b"20250307120509"
        );
        assert_eq!(
            &us_datetime_key(b"03/07/2025 01:00:00 PM"),
            b"20250307130000"
        );
        assert_eq!(
            &us_datetime_key(b"12/31/2024 11:59:59 PM"),
            b"20241231235959"
        );
    }

    #[test]
    fn same_seed_same_bytes_and_rows_scale() {
        let a = generate_in_memory(&Config {
            creators: 50,
            seed: 7,
        })
        .unwrap();
        let b = generate_in_memory(&Config {
            creators: 50,
            seed: 7,
        })
        .unwrap();
        let c = generate_in_memory(&Config {
            creators: 50,
            seed: 8,
        })
        .unwrap();
        assert_eq!(a.files, b.files);
        assert_ne!(a.files, c.files);
        let big = generate_in_memory(&Config::for_rows(20_000, 1)).unwrap();
        let total = big.counts.total() as f64;
        assert!((15_000.0..25_000.0).contains(&total), "{total}");
    }

    #[test]
    fn quirks_are_present() {
        let a = generate_in_memory(&Config {
            creators: 300,
            seed: 1,
        })
        .unwrap();
        let text = |i: usize| String::from_utf8_lossy(&a.files[i].2).into_owned();
        assert!(
            text(0)
                .lines()
                .nth(1)
                .unwrap()
                .starts_with("Platform unique order ID.")
        );
        assert!(a.files[1].2.starts_with(b"\xEF\xBB\xBF"));
        assert!(text(4).starts_with(
            "Video name,Video link,Video post date,Creator username,GMV,Affiliate items sold ,"
        ));
        assert!(text(0).contains("*****"));
        assert!(text(0).contains("Ã"));
        assert!(
            std::str::from_utf8(&a.files[2].2).is_err(),
            "phone_numbers is cp1252"
        );
    }
}
