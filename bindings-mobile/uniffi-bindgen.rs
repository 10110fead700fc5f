//! The uniffi generator for this crate: `cargo run -p creator-crm-mobile --features cli --bin uniffi-bindgen -- generate ...`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
