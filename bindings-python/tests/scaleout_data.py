"""Data and checks shared by the Dask and Spark tests (tests/test_dask.py, test_spark.py).

`write_exports` writes small generated exports spread over several files per kind, with
what needs the whole population: team inboxes (one email on many creators, hashed into
different partitions), erased people (suppressed by handle, email and phone), masked
phones that a full number upgrades, conflicting values, duplicate and invalid rows.
`reference` merges them on one machine; `assert_same` compares a scale-out result with it.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any, NamedTuple

from creator_crm import Merger, merge_exports, scaleout

DATA = Path(__file__).resolve().parents[2] / "examples" / "demo" / "data"
BUNDLED = {
    "sample_orders": "sample_orders.csv",
    "euka": "euka.csv",
    "phone_numbers": "phone_numbers.csv",
    "refunnel": "refunnel.csv",
    "videos": "videos.csv",
    "products": "products.csv",
}
TABLES = (
    "creators", "conflicts", "samples", "videos", "video_products", "snapshots", "brand_links",
    "products",
)

TEAM_INBOXES = ["collabs@bigtalent.agency", "team@glowhouse.co"]
FIRST = ["Ana", "Bo", "Cy", "José", "Mia", "Noah", "Zoë", "Liam", "Ava", "Eli"]
LAST = ["Garcia", "Martínez", "Lee", "Nguyen", "Smith", "Rossi", "Khan", "Brown"]
CITIES = [("Austin", "TX", "78701"), ("Denver", "Colorado", "80202"), ("Boston", "MA", "02108")]


def _spell(handle: str, rng: random.Random) -> str:
    """The handle as messy exports write it."""
    return rng.choice([
        handle, "@" + handle, handle.upper(), f" {handle} ",
        f"https://www.tiktok.com/@{handle}?lang=en",
    ])


def _csv(rows: list[list[str]]) -> str:
    def cell(v: str) -> str:
        return f'"{v}"' if any(c in v for c in ',"\n') else v

    return "".join(",".join(cell(v) for v in row) + "\n" for row in rows)


class Generated(NamedTuple):
    sources: dict[str, Any]
    suppression: list[dict[str, str]]
    team_inbox_handles: set[str]
    """Creators written with a team inbox (and not erased)."""
    erased_handles: set[str]


def write_exports(out: Path, *, creators: int = 240, seed: int = 17) -> Generated:
    """Writes the exports under `out`; returns the sources, the suppression entries and
    who has a team inbox and who is erased.

    `sources` uses every form a scale-out source takes: a glob (sample_orders, three
    files), a list (euka, two files), single paths (the rest).
    """
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    people = []
    for i in range(creators):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        handle = f"{first.lower()}.{last.lower()}{i}".replace("é", "e").replace("í", "i").replace("ë", "e")
        email = (
            rng.choice(TEAM_INBOXES) if i % 9 == 0
            else f"{handle.replace('.', '_')}@mailbox.org" if rng.random() < 0.6 else ""
        )
        phone = f"{rng.choice(['512', '303', '617', '415'])}555{i:04d}"
        people.append({"handle": handle, "first": first, "last": last, "email": email,
                       "phone": phone, "city": rng.choice(CITIES)})
    erased = people[5:: max(1, creators // 6)][:6]
    suppression = []
    for j, p in enumerate(erased):
        if j % 3 == 0 or not p["email"] or p["email"] in TEAM_INBOXES:
            suppression.append({"handle": "@" + p["handle"].upper()})
        elif j % 3 == 1:
            suppression.append({"email": p["email"].upper()})
        else:
            suppression.append({"phone": f"({p['phone'][:3]}) {p['phone'][3:6]}-{p['phone'][6:]}"})

    # sample_orders: three files (a glob), each with the description row; masked phones.
    header = ["Order ID", "SKU ID", "Product Name", "Variation", "Quantity", "Buyer Username",
              "Recipient", "Phone #", "Address Line 1", "Address Line 2", "City", "State",
              "Zipcode", "Country", "Order Status", "Created Time", "Shipped Time", "Delivered Time"]
    description = [f"{h}." for h in header]
    order_files: list[list[list[str]]] = [[header, description] for _ in range(3)]
    for i, p in enumerate(people):
        for k in range(rng.randint(0, 3)):
            masked = f"(+1){p['phone'][:3]}*****{p['phone'][-2:]}"
            phone = masked if rng.random() < 0.7 else p["phone"]
            city, state, zipcode = p["city"]
            status = rng.choice(["Delivered", "Awaiting shipment", "Completed", "Cancelled"])
            day = rng.randint(1, 28)
            row = [f"57{i:08d}{k:02d}", f"17290000{rng.randint(0, 9):05d}", "Glow Serum",
                   "Default", "1", _spell(p["handle"], rng), f"{p['first']} {p['last']}", phone,
                   f"{100 + i} Main St", "", city, state, zipcode, "US", status,
                   f"05/{day:02d}/2025 10:00:00 AM",
                   f"05/{day:02d}/2025 11:00:00 PM" if status != "Awaiting shipment" else "",
                   f"06/{day:02d}/2025 09:30:00 AM" if status in ("Delivered", "Completed") else ""]
            rows = order_files[rng.randrange(3)]
            rows.append(row)
            if rng.random() < 0.1:
                rows.append(row)  # a duplicate row
    order_files[0].append(["1", "2", "x", "", "1", "!!not a handle!!"] + [""] * 12)
    for n, rows in enumerate(order_files):
        (out / f"sample_orders_{n}.csv").write_text(_csv(rows), encoding="utf-8")

    # euka: two files (a list); the second contradicts some phones.
    euka = [[["Handle", "Email", "Phone", "Address", "First Name", "Last Name"]] for _ in range(2)]
    for i, p in enumerate(people):
        if rng.random() < 0.8:
            city, state, zipcode = p["city"]
            euka[i % 2].append([_spell(p["handle"], rng), p["email"], p["phone"],
                                f"{100 + i} Main St, {city}, {state} {zipcode}", p["first"], p["last"]])
        if rng.random() < 0.1:
            euka[1].append([p["handle"], "", f"212555{i:04d}", "", "", ""])
    euka[1].append(["ok.handle", "not-an-email", "n/a", "", "", ""])
    for n, rows in enumerate(euka):
        (out / f"euka_{n}.csv").write_text("\ufeff" + _csv(rows), encoding="utf-8")

    phones = [["Username", "Recipient", "First Name", "Last Name", "Phone #"]]
    for p in people:
        if rng.random() < 0.4:
            row = [_spell(p["handle"], rng), f"{p['first']} {p['last']}", p["first"], p["last"],
                   f"(+1){p['phone']}"]
            phones += [row] * rng.randint(1, 3)
    (out / "phone_numbers.csv").write_text(_csv(phones), encoding="cp1252", errors="replace")

    refunnel = [["username", "profile", "followers", "emv", "gmv", "platform", "last_post",
                 "total_posts", "likes", "comments", "shares", "engagement", "impressions"]]
    for p in people:
        if rng.random() < 0.7:
            refunnel.append([_spell(p["handle"], rng), f"https://www.tiktok.com/@{p['handle']}",
                             f"{rng.randint(1, 900)}.{rng.randint(0, 9)}K", f"${rng.randint(0, 9999)}.50",
                             f"${rng.randint(0, 99_999):,}.25", "TikTok", "2025-10-01",
                             str(rng.randint(1, 400)), "1.2K", "30", "4", "3.5%", "10K"])
    (out / "refunnel.csv").write_text(_csv(refunnel), encoding="utf-8")

    videos = [["Video name", "Video link", "Video post date", "Creator username", "GMV",
               "Affiliate items sold ", "Affiliate orders", "Shoppable video impressions",
               "Shoppable video likes", "Shoppable video comments", "Affiliate CTR",
               "Est. commission", "Product ID"]]
    for i, p in enumerate(people):
        for k in range(rng.randint(0, 2)):
            vid = f"73{i:08d}{k:02d}00000000"
            row = [f"video {k}", f"https://www.tiktok.com/@{p['handle']}/video/{vid}",
                   f"2025-06-{rng.randint(1, 28):02d}", _spell(p["handle"], rng),
                   f"${rng.randint(0, 999)}.10", str(rng.randint(0, 40)), str(rng.randint(0, 30)),
                   "14.1K", "705", "35", "4.2%", "$25.03", f"17299000000{rng.randint(0, 9):02d}"]
            videos.append(row)
    (out / "videos.csv").write_text(_csv(videos), encoding="utf-8")

    products = [["Product ID", "Product Name", "GMV", "Items Sold", "Orders"]]
    for n in range(10):
        products.append([f"17299000000{n:02d}", f"Product {n}", f"${1000 + n * 37:,}.15", str(10 + n), str(5 + n)])
    (out / "products.csv").write_text(_csv(products), encoding="utf-8")

    sources = {
        "sample_orders": str(out / "sample_orders_*.csv"),
        "euka": [str(out / "euka_0.csv"), out / "euka_1.csv"],
        "phone_numbers": str(out / "phone_numbers.csv"),
        "refunnel": out / "refunnel.csv",
        "videos": str(out / "videos.csv"),
        "products": str(out / "products.csv"),
    }
    erased_handles = {p["handle"] for p in erased}
    team = {p["handle"] for p in people if p["email"] in TEAM_INBOXES} - erased_handles
    return Generated(sources, suppression, team, erased_handles)


def expanded(sources: dict[str, Any]) -> list[tuple[str, str]]:
    """`(kind, path)` in merge order, as a scale-out merge resolves `sources`."""
    import glob
    import os

    files = []
    for kind, value in sources.items():
        for entry in value if isinstance(value, list) else [value]:
            text = os.fspath(entry)
            matches = sorted(glob.glob(text)) if any(c in text for c in "*?[") else [text]
            files += [(kind, m) for m in matches]
    return files


def reference(sources: dict[str, Any], suppression: list[dict[str, str]] = ()):  # type: ignore[assignment]
    """The one-machine merge of the same files: `merge_exports` when every kind is one
    file and nobody is suppressed, else a `Merger` fed the same files in the same order."""
    files = expanded(sources)
    if not suppression and len(files) == len(sources):
        return merge_exports(dict(files))
    m = Merger()
    for s in suppression:
        m.suppress(**s)
    for kind, path in files:
        m.add(kind, path)
    return m.result()


def partitions_of(handles: set[str], partitions: int) -> dict[str, int]:
    """The partition each handle is hashed into, as `scaleout.route` finds it."""
    plan = scaleout.Plan({"euka": ["one.csv"]}, partitions=partitions)
    out = {}
    for h in handles:
        routed = scaleout.route(plan, 0, f"handle\n{h}\n".encode())
        [p] = [p for p in routed.column("partition").to_pylist() if p >= 0]
        out[h] = p
    return out


def _key(row: dict[str, Any]) -> str:
    return json.dumps(row, default=str, sort_keys=True)


def rows(table) -> list[dict[str, Any]]:
    """A table's rows as dicts in a canonical order (a scale-out result has none)."""
    return sorted(table.to_pylist(), key=_key)


def assert_same(expected, tables: dict[str, Any], report) -> None:
    """Every table (`pyarrow.Table`s, in any row order) and the report equal `expected`."""
    for name in TABLES:
        want = getattr(expected, name)
        got = tables[name]
        assert got.column_names == want.column_names, name
        assert got.num_rows == want.num_rows, name
        assert rows(got) == rows(want), name
    assert report.to_dict() == expected.report.to_dict()
