//! Kotlin and Swift bindings of creator-crm (uniffi).
