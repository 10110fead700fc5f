"""The cost of one host-store call from Python (BENCHMARKS.md, "Host-store calls").

`Crm.get_creator` makes exactly one store call (`creators`) and `OutreachService.consent`
exactly one outreach store call (`consent`). Each is timed over the built-in
`MemoryStore` (the call stays in Rust) and over a Python object forwarding every method
to that same `MemoryStore` (the call crosses into Python and back: the JSON protocol's
arguments become Python data, the wrapper calls the built-in store's method, the result
comes back as Python data and is read into core types). The difference is the cost of
one crossing. `MemoryStore.creators` called straight from Python is shown beside it.

Not part of the test suite. Run it against a release build of the extension:

    CARGO_TARGET_DIR=... .venv/bin/maturin develop --release -m bindings-python/Cargo.toml
    .venv/bin/python bindings-python/benches/host_store_cost.py [calls per round] [rounds]

Each case runs `rounds` rounds (default 15) of `calls` calls (default 20000) after a
warm-up round; it prints the median per-call time over the rounds and their spread
(fastest and slowest round).
"""

import statistics
import sys
import time
from datetime import datetime, timezone

import creator_crm as crm

STORE_METHODS = [
    "creators", "creators_with_emails", "related", "related_by_keys", "list_creators",
    "search_creators", "suppression", "supporters", "activity", "apply",
]
OUTREACH_METHODS = [
    "outbox", "outbox_with_status", "outbox_of", "outbox_to", "consent", "events_seen",
    "apply_outreach",
]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
EUKA = b"handle,email,phone,recipient\n@ana.b,ana@mailbox.org,,Ana Bell\nbo,bo@mailbox.org,,Bo Chan\n"


class Forwarding:
    """A Python store forwarding every call to a built-in one: only the crossing is
    added."""

    def __init__(self, inner):
        for name in STORE_METHODS + OUTREACH_METHODS:
            setattr(self, name, getattr(inner, name))


class NoSender:
    def send_email(self, message):
        raise crm.MessagingError("not sending")

    def send_sms(self, message):
        raise crm.MessagingError("not sending")


def timed(calls, body):
    """Per-call microseconds of `calls` calls of `body`."""
    start = time.perf_counter_ns()
    for _ in range(calls):
        body()
    return (time.perf_counter_ns() - start) / 1000 / calls


def line(label, times):
    return (
        f"{label:<58} median {statistics.median(times):7.2f} us"
        f"   (rounds {min(times):.2f}-{max(times):.2f})"
    )


def main():
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    memory = crm.MemoryStore()
    native = crm.Crm(memory)
    native.import_exports({"euka": EUKA}, now=NOW)
    hosted = crm.Crm(Forwarding(memory))
    assert native.get_creator("bo") == hosted.get_creator("bo")
    config = {"campaign_id": "welcome", "brand_name": "Acme"}
    service_native = crm.OutreachService(native, NoSender(), config)
    service_hosted = crm.OutreachService(native, NoSender(), config, store=Forwarding(memory))
    service_native.record_consent("bo", "sms", "opt_in", now=NOW)
    assert service_native.consent("bo") == service_hosted.consent("bo") != []

    print(f"python {sys.version.split()[0]}, creator_crm {crm.__version__}; "
          f"{rounds} rounds of {calls} calls per case, after a warm-up round")
    direct = lambda: memory.creators("default", ["bo"])  # noqa: E731
    timed(calls, direct)
    print(line("Python -> MemoryStore.creators (one Rust call)",
               [timed(calls, direct) for _ in range(rounds)]))
    pairs = [
        ("creators", "Crm.get_creator",
         lambda: native.get_creator("bo"), lambda: hosted.get_creator("bo")),
        ("consent", "OutreachService.consent",
         lambda: service_native.consent("bo"), lambda: service_hosted.consent("bo")),
    ]
    for method, label, over_native, over_host in pairs:
        timed(calls, over_native)
        timed(calls, over_host)
        # Rounds alternate, so each difference compares two runs next to each other.
        n, h = [], []
        for _ in range(rounds):
            n.append(timed(calls, over_native))
            h.append(timed(calls, over_host))
        print(line(f"{label} over MemoryStore", n))
        print(line(f"{label} over a Python store (forwarding)", h))
        print(line(f"one host-store call, `{method}` (difference)", [b - a for a, b in zip(n, h)]))


if __name__ == "__main__":
    main()
