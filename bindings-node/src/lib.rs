//! Node bindings of creator-crm (napi-rs).
