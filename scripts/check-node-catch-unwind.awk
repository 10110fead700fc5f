# Fails when a `#[napi]` function in bindings-node/src is not `catch_unwind`:
# a panic in such an export would abort the Node process instead of throwing.
/^[[:space:]]*#\[napi/ { attr = $0; attr_line = FNR; next }
/^[[:space:]]*(\/\/|#\[)/ { next }
/^[[:space:]]*pub fn / {
    if (attr != "" && attr !~ /catch_unwind/) {
        printf "%s:%d: #[napi] export without catch_unwind\n", FILENAME, attr_line
        bad = 1
    }
}
{ attr = "" }
END { exit bad }
