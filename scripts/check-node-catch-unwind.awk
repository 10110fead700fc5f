# Fails when a `#[napi]` function in bindings-node/src is not `catch_unwind`:
# a panic in such an export would abort the Node process instead of throwing.
# An attribute may span lines (`#[napi(` ... `)]`); a struct, enum or impl
# block (`#[napi(object)]`, `#[napi] impl`) needs none, its methods each do.
function finish_attr_line(line) { if (line ~ /\)\][[:space:]]*$/ || line ~ /^[[:space:]]*#\[napi\][[:space:]]*$/) open_attr = 0 }
/^[[:space:]]*#\[napi/ { attr = $0; attr_line = FNR; open_attr = 1; finish_attr_line($0); next }
open_attr { attr = attr " " $0; finish_attr_line($0); next }
/^[[:space:]]*(\/\/|#\[)/ { next }
/^[[:space:]]*pub (async )?fn / {
    if (attr != "" && attr !~ /catch_unwind/) {
        printf "%s:%d: #[napi] export without catch_unwind\n", FILENAME, attr_line
        bad = 1
    }
}
{ attr = "" }
END { exit bad }
