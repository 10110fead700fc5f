#!/usr/bin/env python3
"""Side by side: the creator merge in pandas (+ phonenumbers) vs creator_crm.merge_exports.

Both run on the same generated files in one run of this script, each side timed in a fresh
interpreter (best of --repeat runs), and the script prints each time and the ratio. The pandas version does what an analyst would write by hand for the same job:
read the six exports (BOM, cp1252, the sample_orders description row), normalize handles,
emails and phones (phonenumbers, masked numbers detected first), pick each contact field
by source priority then recency, take the latest follower/GMV snapshot, and count conflicts.

Usage:
    python benches/pandas_compare.py [--rows 1000000] [--data DIR] [--seed 42] [--repeat 2]

Without --data, files are generated with the datagen binary
(`cargo run --release -p creator-crm-datagen`) into a temporary directory.
Needs: pandas, phonenumbers, and the creator_crm wheel (maturin develop) for the ratio.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FILES = {
    "sample_orders": "sample_orders.csv",
    "euka": "euka.csv",
    "phone_numbers": "phone_numbers.csv",
    "refunnel": "refunnel.csv",
    "videos": "videos.csv",
    "products": "products.csv",
}
PRIORITY = {"manual": 6, "euka": 5, "phone_numbers": 4, "refunnel": 3, "sample_orders": 2, "videos": 1}
PLACEHOLDERS = {"", "n/a", "na", "none", "-", "null", "test@test.com"}
HANDLE_RE = re.compile(r"^[a-z0-9._]{2,24}$")


def generate(rows: int, seed: int, out: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    subprocess.run(
        ["cargo", "run", "--release", "-q", "-p", "creator-crm-datagen", "--",
         "--rows", str(rows), "--seed", str(seed), "--out", str(out)],
        cwd=root, check=True,
    )


def pandas_merge(data: Path):
    import pandas as pd  # imported (and so timed) once, in main()
    import phonenumbers

    def norm_cols(df):
        df.columns = [re.sub(r"[^a-z0-9]", "", c.lower()) for c in df.columns]
        return df

    def read(name, **kw):
        return norm_cols(pd.read_csv(data / FILES[name], dtype=str, keep_default_na=False, **kw))

    samples = read("sample_orders", encoding="utf-8-sig")
    samples = samples[samples["orderid"].str.contains(r"\d", regex=True)]  # description row
    euka = read("euka", encoding="utf-8-sig")
    phones = read("phone_numbers", encoding="cp1252")
    refunnel = read("refunnel", encoding="utf-8-sig")
    videos = read("videos", encoding="utf-8-sig")

    def handle(s: pd.Series) -> pd.Series:
        h = s.str.strip().str.replace(r"^https?://(www\.)?tiktok\.com/@", "", regex=True)
        h = h.str.replace(r"[?/].*$", "", regex=True).str.lstrip("@").str.lower()
        return h.where(h.str.match(HANDLE_RE))

    cache: dict[str, str | None] = {}

    def phone(raw: str):
        if raw in cache:
            return cache[raw]
        out = None
        if raw and "*" not in raw:
            try:
                n = phonenumbers.parse(raw, "US")
                if phonenumbers.is_valid_number(n):
                    out = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
            except phonenumbers.NumberParseException:
                pass
        cache[raw] = out
        return out

    frames = []
    for source, df, hcol in (
        ("euka", euka, "handle"),
        ("phone_numbers", phones, "username"),
        ("sample_orders", samples, "buyerusername"),
    ):
        f = pd.DataFrame({"handle": handle(df[hcol]), "source": source})
        f["email"] = df["email"].str.strip().str.lower() if "email" in df else None
        f.loc[f["email"].isin(PLACEHOLDERS) | ~f["email"].fillna("").str.contains("@"), "email"] = None
        pcol = "phone" if "phone" in df else "phone"
        f["phone"] = df[pcol].map(phone) if pcol in df else None
        f["first_name"] = df["firstname"] if "firstname" in df else df.get("recipient", "").str.split(" ").str[0]
        f["last_name"] = df["lastname"] if "lastname" in df else df.get("recipient", "").str.split(" ", n=1).str[1]
        f["city"] = df["city"] if "city" in df else None
        f["state"] = df["state"] if "state" in df else None
        f["zipcode"] = df["zipcode"] if "zipcode" in df else None
        f["rank"] = PRIORITY[source]
        frames.append(f)
    contacts = pd.concat(frames, ignore_index=True).dropna(subset=["handle"])
    # Shared inboxes: an email on 3+ creators links nobody.
    owners = contacts.dropna(subset=["email"]).groupby("email")["handle"].nunique()
    contacts.loc[contacts["email"].isin(owners[owners >= 3].index), "email"] = None

    contacts = contacts.sort_values(["handle", "rank"], ascending=[True, False])
    fields = ["email", "phone", "first_name", "last_name", "city", "state", "zipcode"]
    creators = contacts.groupby("handle")[fields].first()
    conflicts = int((contacts.groupby("handle")[["email", "phone"]].nunique() > 1).sum().sum())

    ref = pd.DataFrame({"handle": handle(refunnel["username"].where(refunnel["username"] != "", refunnel["profile"]))})
    ref["followers"] = pd.to_numeric(
        refunnel["followers"].str.replace(",", "").str.replace("K", "e3").str.replace("M", "e6"), errors="coerce")
    ref["gmv"] = pd.to_numeric(refunnel["gmv"].str.replace(r"[$,]", "", regex=True), errors="coerce")
    ref["last_post"] = pd.to_datetime(refunnel["lastpost"], errors="coerce")
    latest = ref.dropna(subset=["handle"]).sort_values("last_post").groupby("handle").last()
    creators = creators.join(latest[["followers", "gmv"]], how="outer")
    vids = pd.DataFrame({"handle": handle(videos["creatorusername"])}).dropna()
    creators = creators.join(vids.drop_duplicates().set_index("handle"), how="outer")
    return creators.reset_index(), conflicts


def time_pandas(data: Path) -> tuple[float, str]:
    import pandas  # noqa: F401  (import time is not merge time)
    import phonenumbers  # noqa: F401

    t = time.perf_counter()
    creators, conflicts = pandas_merge(data)
    return time.perf_counter() - t, f"{len(creators)} creators, {conflicts} conflicts"


def time_native(data: Path) -> tuple[float, str]:
    import creator_crm

    sources = {kind: str(data / name) for kind, name in FILES.items()}
    t = time.perf_counter()
    result = creator_crm.merge_exports(sources)
    elapsed = time.perf_counter() - t
    return elapsed, f"{result.report.creators} creators, {result.report.conflicts} conflicts"


def measure(which: str, data: Path) -> float | None:
    """Times `which` in a fresh interpreter, so neither side runs in a heap (or next to
    idle library threads) the other left behind."""
    out = subprocess.run(
        [sys.executable, __file__, "--only", which, "--data", str(data)],
        capture_output=True, text=True,
    )
    if out.returncode != 0:
        print(f"{which}: failed\n{out.stderr.strip()}")
        return None
    seconds, detail = out.stdout.strip().split(" ", 1)
    print(f"{which}: {float(seconds):.2f} s, {detail}")
    return float(seconds)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--data", type=Path)
    ap.add_argument("--repeat", type=int, default=2, help="runs of each side; the best counts")
    ap.add_argument("--only", choices=["pandas", "creator_crm"], help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.only:
        timer = time_pandas if args.only == "pandas" else time_native
        seconds, detail = timer(args.data)
        print(f"{seconds} {detail}")
        return 0

    tmp = None
    data = args.data
    if data is None:
        tmp = tempfile.TemporaryDirectory()
        data = Path(tmp.name)
        generate(args.rows, args.seed, data)

    best = {}
    for _ in range(max(1, args.repeat)):
        for which in ("pandas", "creator_crm"):
            seconds = measure(which, data)
            if seconds is not None:
                best[which] = min(seconds, best.get(which, seconds))
    if len(best) < 2:
        print("ratio not measured")
        return 0
    print(f"best of {max(1, args.repeat)}: pandas + phonenumbers {best['pandas']:.2f} s, "
          f"creator_crm.merge_exports {best['creator_crm']:.2f} s")
    print(f"ratio (pandas / creator_crm): {best['pandas'] / best['creator_crm']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
