//! The demo's store and outreach half, as a user runs it: the binary on the bundled
//! data, its printed lines from `== the CRM on SQLite` on, and the `crm.db` it leaves.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

#[test]
fn the_demo_runs_the_crm_on_sqlite_and_sends_the_welcome_messages() {
    let dir = std::env::temp_dir().join(format!("crm-demo-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_demo"))
        .arg("--out")
        .arg(dir.join("creators.csv"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let start = text
        .find("== the CRM on SQLite")
        .expect("the store section");
    let db = dir.join("crm.db");
    let section = text[start..].replace(&db.display().to_string(), "<out>/crm.db");
    insta::assert_snapshot!(section);
    // The file is an ordinary SQLite database holding the creators.
    assert_eq!(&std::fs::read(&db).unwrap()[..16], b"SQLite format 3\0");
    std::fs::remove_dir_all(&dir).unwrap();
}
