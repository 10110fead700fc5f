"""What the driver of a partitioned merge receives and does: the size of the partitions'
summaries, the time of the global pass and the size of the facts it broadcasts, with the
`creator_crm.scaleout` primitives in this process (no engine).

    .venv/bin/python bindings-python/benches/scaleout_driver.py --data /tmp/x10m --partitions 8

`--data` holds the six exports as datagen writes them (see scaleout_compare.py).
"""

from __future__ import annotations

import argparse
import collections
import time
from pathlib import Path

from creator_crm import scaleout

KINDS = ["sample_orders", "euka", "phone_numbers", "refunnel", "videos", "products"]
MiB = 1024 * 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--partitions", type=int, default=8)
    args = ap.parse_args()
    n = args.partitions
    plan = scaleout.Plan({k: str(args.data / f"{k}.csv") for k in KINDS}, partitions=n)
    payloads: dict[int, list[bytes]] = collections.defaultdict(list)
    manifests: list[bytes] = []
    for file, (_, name) in enumerate(plan.files):
        routed = scaleout.route(plan, file, name)
        parts = routed.column("partition").to_pylist()
        for p, blob in zip(parts, routed.column("payload").to_pylist()):
            (manifests if p == -1 else payloads[p]).append(blob)
    summaries = [scaleout.summarize(plan, p, payloads[p]) for p in range(n)]
    start = time.perf_counter()
    facts = scaleout.global_pass(plan, summaries, manifests)
    seconds = time.perf_counter() - start
    sizes = [len(s) for s in summaries]
    print(
        f"partitions {n}: summaries {sum(sizes) / MiB:.1f} MiB "
        f"({min(sizes) / MiB:.1f}-{max(sizes) / MiB:.1f} MiB each), "
        f"global pass {seconds:.2f} s, facts {len(facts) / MiB:.2f} MiB"
    )


if __name__ == "__main__":
    main()
