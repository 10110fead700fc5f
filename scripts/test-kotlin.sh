#!/usr/bin/env bash
# Generates the Kotlin bindings, compiles them with the JUnit 4 tests of
# bindings-mobile/kotlin/tests (kotlinc from the kotlin-compiler npm package)
# and runs them on the JVM with JNA. Ends with a line `N passed, N failed`.
# MOBILE_PROFILE=dev tests a dev build of the library (see lib.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

kt=$ROOT/bindings-mobile/kotlin
jars=(/usr/share/java/jna.jar /usr/share/java/junit4.jar /usr/share/java/hamcrest-core.jar)
for jar in "${jars[@]}"; do
    if [ ! -f "$jar" ]; then
        step "kotlin: apt-get install libjna-java junit4"
        apt_install libjna-java junit4
        break
    fi
done
if ! command -v java >/dev/null; then
    step "kotlin: apt-get install a JDK"
    apt_install default-jdk-headless
fi
if [ ! -x "$kt/node_modules/kotlin-compiler/bin/kotlinc" ] \
    || [ "$kt/package-lock.json" -nt "$kt/node_modules/.package-lock.json" ]; then
    step "kotlin: npm ci (kotlin-compiler)"
    (cd "$kt" && npm ci --no-audit --no-fund --loglevel=error)
fi

step "mobile: cargo test -p creator-crm-mobile"
cargo test --quiet -p creator-crm-mobile --manifest-path "$ROOT/Cargo.toml"

"$ROOT/scripts/uniffi-generate.sh" kotlin "$kt/generated"

klib=$kt/node_modules/kotlin-compiler/lib
cp_jars="$(IFS=:; echo "${jars[*]}"):$klib/kotlin-test.jar:$klib/kotlin-test-junit.jar:$klib/kotlin-reflect.jar"
step "kotlin: kotlinc"
rm -rf "$kt/build"
mkdir -p "$kt/build"
"$kt/node_modules/kotlin-compiler/bin/kotlinc" -nowarn -cp "$cp_jars" -d "$kt/build/classes" \
    $(find "$kt/generated" -name '*.kt') "$kt"/tests/*.kt

step "kotlin: JUnit"
classes=()
for f in "$kt"/tests/*Test.kt; do
    classes+=("dev.creatorcrm.test.$(basename "$f" .kt)")
done
cd "$ROOT"
java -Djna.library.path="$MOBILE_LIB_DIR" \
    -Dcreatorcrm.vectors="$ROOT/tests/vectors" -Dcreatorcrm.demo="$ROOT/examples/demo/data" \
    -cp "$kt/build/classes:$cp_jars:$klib/kotlin-stdlib.jar" \
    dev.creatorcrm.test.RunTestsKt "${classes[@]}"
