#!/usr/bin/env python3
"""Side by side: the creator merge in pandas (+ phonenumbers) vs creator_crm.merge_exports.

Both run on the same generated files in one process, and the script prints each time and
the ratio. The pandas version does what an analyst would write by hand for the same job:
read the six exports (BOM, cp1252, the sample_orders description row), normalize handles,
emails and phones (phonenumbers, masked numbers detected first), pick each contact field
by source priority then recency, take the latest follower/GMV snapshot, and count conflicts.

Usage:
    python benches/pandas_compare.py [--rows 1000000] [--data DIR] [--seed 42]

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


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--data", type=Path)
    args = ap.parse_args()

    tmp = None
    data = args.data
    if data is None:
        tmp = tempfile.TemporaryDirectory()
        data = Path(tmp.name)
        generate(args.rows, args.seed, data)

    import pandas  # noqa: F401  (import time is not merge time)
    import phonenumbers  # noqa: F401

    t = time.perf_counter()
    creators, conflicts = pandas_merge(data)
    pandas_s = time.perf_counter() - t
    print(f"pandas + phonenumbers: {pandas_s:.2f} s, {len(creators)} creators, {conflicts} conflicts")

    try:
        import creator_crm
        merge_exports = creator_crm.merge_exports
    except (ImportError, AttributeError) as e:
        print(f"creator_crm.merge_exports not available ({e}); ratio not measured")
        return 0
    sources = {kind: str(data / name) for kind, name in FILES.items()}
    t = time.perf_counter()
    result = merge_exports(sources)
    native_s = time.perf_counter() - t
    print(f"creator_crm.merge_exports: {native_s:.2f} s, {result.report.creators} creators, "
          f"{result.report.conflicts} conflicts")
    print(f"ratio (pandas / creator_crm): {pandas_s / native_s:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
