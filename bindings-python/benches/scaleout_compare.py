"""The same shuffled exports merged in one process, on Dask (2 workers) and on Spark
(local[2]), side by side in one run: wall time, peak memory per process, per worker
and per partition, and the shuffle volume.

    cargo run --release -p creator-crm-datagen -- --rows 1000000 --order interleaved --out /tmp/x1m
    .venv/bin/python bindings-python/benches/scaleout_compare.py --data /tmp/x1m --partitions 8

`--rows N` generates the exports into `--data` first when it holds none. Needs the
scale-out requirements (bindings-python/requirements-scaleout.txt) and a JDK. Each
engine gets a fresh process (or cluster, or session); their results are checked equal
(creator count and report) before the figures are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KINDS = ["sample_orders", "euka", "phone_numbers", "refunnel", "videos", "products"]
MiB = 1024 * 1024


def sources(data: Path) -> dict[str, str]:
    return {kind: str(data / f"{kind}.csv") for kind in KINDS}


def generate(rows: int, out: Path) -> None:
    cmd = ["cargo", "run", "--release", "-q", "-p", "creator-crm-datagen", "--",
           "--rows", str(rows), "--order", "interleaved", "--out", str(out)]
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


# --- one process ---------------------------------------------------------------------

ONE = """
import json, resource, sys, time
import creator_crm
t = time.perf_counter()
r = creator_crm.merge_exports(json.loads(sys.argv[1]))
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "report": r.report.to_dict(),
                  "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def run_one(data: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", ONE, json.dumps(sources(data))],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


# --- Dask ------------------------------------------------------------------------------


def _worker_peak() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run_dask(data: Path, partitions: int) -> dict:
    import logging

    import distributed

    from creator_crm import dask as crm_dask

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=logging.ERROR,
                                  memory_limit=0) as cluster, distributed.Client(cluster) as client:
        t = time.perf_counter()
        r = crm_dask.merge_exports(sources(data), client=client, partitions=partitions)
        merged = time.perf_counter() - t
        creators = len(r.creators)
        total = time.perf_counter() - t
        workers = client.run(_worker_peak)
        return {"seconds": merged, "with_frame": total, "creators": creators,
                "report": r.report.to_dict(), "tasks": [vars(s) for s in r.tasks],
                "workers": {k: v for k, v in workers.items()}}


# --- Spark ------------------------------------------------------------------------------


def _vm_hwm(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_spark(data: Path, partitions: int, driver_memory: str) -> dict:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    from creator_crm import spark as crm_spark

    log4j = Path(tempfile.mkdtemp()) / "log4j2.properties"
    log4j.write_text("rootLogger.level = error\n")
    t0 = time.perf_counter()
    spark = (SparkSession.builder.master("local[2]").appName("scaleout-compare")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.memory", driver_memory)
             .config("spark.sql.shuffle.partitions", str(partitions))
             .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{log4j}")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    started = time.perf_counter() - t0
    try:
        t = time.perf_counter()
        r = crm_spark.merge_exports(spark, sources(data), partitions=partitions)
        merged = time.perf_counter() - t
        creators = r.creators.count()
        total = time.perf_counter() - t
        jvm = spark.sparkContext._gateway.proc.pid  # type: ignore[attr-defined]
        return {"seconds": merged, "with_frame": total, "startup": started, "creators": creators,
                "report": r.report.to_dict(), "tasks": [vars(s) for s in r.tasks],
                "jvm_peak": _vm_hwm(jvm)}
    finally:
        spark.stop()


# --- the table ----------------------------------------------------------------------------


def per_stage(tasks: list[dict], stage: str) -> str:
    mine = [t for t in tasks if t["stage"] == stage]
    if not mine:
        return "-"
    peaks = [t["peak_rss"] / MiB for t in mine]
    secs = [t["seconds"] for t in mine]
    return (f"{len(mine)} tasks, {statistics.median(secs):.1f}/{max(secs):.1f} s median/max, "
            f"peak RSS {statistics.median(peaks):.0f}/{max(peaks):.0f} MiB median/max")


def per_process(tasks: list[dict]) -> str:
    by: dict[str, int] = {}
    for t in tasks:
        by[t["host"]] = max(by.get(t["host"], 0), t["peak_rss"])
    return ", ".join(f"{v / MiB:.0f}" for v in sorted(by.values(), reverse=True)) + " MiB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--rows", type=int, help="generate this many rows into --data first")
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--engines", default="one,dask,spark")
    ap.add_argument("--spark-driver-memory", default="4g")
    ap.add_argument("--json", type=Path, help="also write every figure here")
    args = ap.parse_args()
    if not (args.data / "sample_orders.csv").exists():
        if not args.rows:
            ap.error(f"{args.data} holds no exports: pass --rows N to generate them")
        generate(args.rows, args.data)
    size = sum((args.data / f"{k}.csv").stat().st_size for k in KINDS)
    print(f"data: {args.data} ({size / MiB:.0f} MiB of CSV), partitions {args.partitions}, "
          f"{os.cpu_count()} cores, load {load()}", flush=True)

    results: dict[str, dict] = {}
    for engine in args.engines.split(","):
        before = load()
        if engine == "one":
            results[engine] = run_one(args.data)
        elif engine == "dask":
            results[engine] = run_dask(args.data, args.partitions)
        elif engine == "spark":
            results[engine] = run_spark(args.data, args.partitions, args.spark_driver_memory)
        else:
            ap.error(f"unknown engine {engine!r}")
        results[engine]["load"] = f"{before} -> {load()}"
        print(f"{engine}: {results[engine]['seconds']:.1f} s (load {results[engine]['load']})",
              flush=True)

    reports = {e: r["report"] for e, r in results.items()}
    first = next(iter(reports.values()))
    for engine, report in reports.items():
        assert report == first, f"{engine}'s report differs"
    print(f"\nreports equal; {first['creators']:,} creators from {first['rows_read']:,} rows\n")
    print(f"{'engine':<6} {'merge s':>8} {'+frame s':>9}  memory")
    for engine, r in results.items():
        if engine == "one":
            print(f"{engine:<6} {r['seconds']:>8.1f} {'':>9}  process peak RSS {r['peak_rss'] / MiB:.0f} MiB")
            continue
        procs = (f"workers peak RSS {', '.join(f'{v / MiB:.0f}' for v in r['workers'].values())} MiB"
                 if engine == "dask" else f"JVM peak RSS {r['jvm_peak'] / MiB:.0f} MiB, "
                 f"Python workers {per_process(r['tasks'])}")
        print(f"{engine:<6} {r['seconds']:>8.1f} {r['with_frame']:>9.1f}  {procs}")
        for stage in ("route", "summarize", "merge"):
            print(f"{'':<6} {stage:>18}: {per_stage(r['tasks'], stage)}")
        shuffle = sum(t["payload_bytes"] for t in r["tasks"] if t["stage"] == "route")
        print(f"{'':<6} {'shuffle':>18}: {shuffle / MiB:.0f} MiB of payloads routed")
        if "startup" in r:
            print(f"{'':<6} {'session start':>18}: {r['startup']:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
