# The one entry point for every check, used by CI (.ci/run) and by people alike.
#
#   make demo    run the demo on the bundled sample data (also writes report.html, crm.db)
#   make test    every test in every language (installs what it needs)
#   make lint    rustfmt, clippy and rustdoc, all warnings as errors
#   make bench   criterion benchmarks
#
# Every crate and toolchain (cargo, maturin, napi, uniffi) shares one target
# dir: $CARGO_TARGET_DIR when set, else `target/`.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
CARGO_TARGET_DIR ?= target
export CARGO_TARGET_DIR

# `make test` builds the bindings optimized, as `--release`, but without the release
# profile's fat LTO and single codegen unit: those make the shipped artifacts smaller
# and a little faster, and cost most of a test run's build time on a small machine.
# `make test SHIPPED_BUILD=1` tests the exact shipped build; `make demo`, `make bench`
# and wheels always use the release profile as it is.
TEST_TARGETS := test test-rust test-report test-python test-scaleout test-postgres test-node test-kotlin check-swift
ifeq ($(SHIPPED_BUILD),)
$(TEST_TARGETS): export CARGO_PROFILE_RELEASE_LTO := off
$(TEST_TARGETS): export CARGO_PROFILE_RELEASE_CODEGEN_UNITS := 16
endif

.PHONY: all demo test test-rust test-report test-python test-scaleout test-postgres test-node test-kotlin check-swift update-swift lint bench

all: test

demo:
	cargo run --release -p creator-crm-demo

test: test-rust test-report test-python test-scaleout test-postgres test-node test-kotlin check-swift

# Default members (core, benches): unit, integration and doc tests.
test-rust:
	cargo test --lib --bins --tests
	cargo test --doc
	cargo test -p creator-crm --features sqlite,arrow --lib --tests
	cargo test -p creator-crm --features sqlite --doc store::
	cargo test -p creator-crm --features arrow --doc import_batches

# The demo's report.html in headless Chromium (installed when missing): screenshot,
# every chart drawn, no console message, nothing loaded.
test-report:
	scripts/test-report.sh

# Python: .venv + maturin develop --release + pytest (incl. the stub check).
test-python:
	scripts/test-python.sh

# The merge on Dask (LocalCluster, 2 worker processes) and Spark (local[2]): adds
# dask[distributed] and PySpark to .venv (and a JDK when missing), then their tests.
test-scaleout:
	scripts/test-scaleout.sh

# The PostgreSQL host store example against a throwaway PostgreSQL 15 cluster on
# loopback (installed and started by the script; after test-python, which builds .venv).
test-postgres:
	scripts/test-postgres.sh

# Node: npm ci + napi build --release + index.d.ts/index.js check + node --test.
test-node:
	scripts/test-node.sh

# Kotlin: uniffi-generated sources + JUnit 4 tests on the JVM (JNA).
test-kotlin:
	scripts/test-kotlin.sh

# Swift: the committed sources in bindings-mobile/swift/ are what uniffi generates.
check-swift:
	scripts/check-swift.sh

# Regenerates bindings-mobile/swift/ after a change of the mobile API.
update-swift:
	scripts/check-swift.sh --update

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p creator-crm --features sqlite,arrow --all-targets -- -D warnings
	cargo clippy -p creator-crm-benches --features arrow --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps
	RUSTDOCFLAGS="-D warnings" cargo doc -p creator-crm --features sqlite,arrow --no-deps

bench:
	cargo bench -p creator-crm-benches
