"""A creator-crm store backed by PostgreSQL (psycopg 3).

`PostgresStore` is a host store: an object with the store protocol's methods, which
`creator_crm.Crm` calls with plain data (the JSON forms the library defines) and which
answers with plain data. Everything lives in one PostgreSQL schema; every table is keyed
by workspace, so no query of one workspace can see another's rows.

    import psycopg
    from creator_crm import Crm
    from postgres_store import PostgresStore

    store = PostgresStore(psycopg.connect("postgresql://localhost/crm"), schema="crm")
    crm = Crm(store, workspace="brand-a")

The semantics are the library's (`store` module docs, checked by
`creator_crm.run_store_conformance`):

- `apply` runs in one transaction: every change or none. A change that expects another
  version than the one stored raises `ConflictError`, and the transaction rolls back;
  `Crm` re-reads and retries. Writes to one workspace are serialized by a row lock on the
  workspace, so versions and activity sequence numbers never race.
- Lists are ordered by the sort field (creators without a value last either way), then by
  handle in byte order (`COLLATE "C"`); a cursor names the last creator's position
  (`field:direction:value:handle`), so paging neither repeats nor skips a creator that was
  there when paging began.
- Creators are stored as their full JSON record, with the columns lists filter and sort
  on beside it, each indexed.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from creator_crm import ConflictError, InvalidInputError

Json = Dict[str, Any]

#: The schema migrations, in order; `schema_version` holds how many have run.
MIGRATIONS: Sequence[str] = (
    """
    CREATE TABLE workspaces (
        ws text PRIMARY KEY
    );
    CREATE TABLE creators (
        ws text NOT NULL,
        handle text COLLATE "C" NOT NULL,
        version bigint NOT NULL,
        record jsonb NOT NULL,
        name_lc text NOT NULL,
        email_lc text,
        has_phone boolean NOT NULL,
        badge text,
        tier text,
        whitelisted boolean NOT NULL,
        outreach_status text NOT NULL,
        tags text[] NOT NULL,
        brands text[] NOT NULL,
        emails text[] NOT NULL,
        follower_count bigint,
        total_gmv numeric NOT NULL,
        PRIMARY KEY (ws, handle)
    );
    CREATE INDEX creators_followers ON creators (ws, follower_count, handle);
    CREATE INDEX creators_gmv ON creators (ws, total_gmv, handle);
    CREATE INDEX creators_emails ON creators USING gin (emails);
    CREATE INDEX creators_brands ON creators USING gin (brands);
    CREATE INDEX creators_tags ON creators USING gin (tags);
    CREATE TABLE samples (
        ws text NOT NULL,
        order_id text COLLATE "C" NOT NULL,
        sku_id text COLLATE "C" NOT NULL,
        handle text COLLATE "C" NOT NULL,
        record jsonb NOT NULL,
        PRIMARY KEY (ws, order_id, sku_id)
    );
    CREATE INDEX samples_handle ON samples (ws, handle);
    CREATE TABLE videos (
        ws text NOT NULL,
        video_id text COLLATE "C" NOT NULL,
        handle text COLLATE "C" NOT NULL,
        record jsonb NOT NULL,
        PRIMARY KEY (ws, video_id)
    );
    CREATE INDEX videos_handle ON videos (ws, handle);
    CREATE TABLE video_products (
        ws text NOT NULL,
        video_id text COLLATE "C" NOT NULL,
        product_id text COLLATE "C" NOT NULL,
        PRIMARY KEY (ws, video_id, product_id)
    );
    CREATE TABLE snapshots (
        ws text NOT NULL,
        handle text COLLATE "C" NOT NULL,
        day text COLLATE "C" NOT NULL,
        source text COLLATE "C" NOT NULL,
        record jsonb NOT NULL,
        PRIMARY KEY (ws, handle, day, source)
    );
    CREATE TABLE brand_links (
        ws text NOT NULL,
        handle text COLLATE "C" NOT NULL,
        brand text COLLATE "C" NOT NULL,
        PRIMARY KEY (ws, handle, brand)
    );
    CREATE TABLE products (
        ws text NOT NULL,
        product_id text COLLATE "C" NOT NULL,
        record jsonb NOT NULL,
        PRIMARY KEY (ws, product_id)
    );
    CREATE TABLE suppression (
        ws text NOT NULL,
        hash text COLLATE "C" NOT NULL,
        PRIMARY KEY (ws, hash)
    );
    CREATE TABLE supporters (
        ws text NOT NULL,
        creator text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        record jsonb NOT NULL,
        PRIMARY KEY (ws, creator, id)
    );
    CREATE TABLE cooldowns (
        ws text NOT NULL,
        creator text COLLATE "C" NOT NULL,
        version bigint NOT NULL,
        state jsonb NOT NULL,
        PRIMARY KEY (ws, creator)
    );
    CREATE TABLE activity (
        ws text NOT NULL,
        seq bigint NOT NULL,
        record jsonb NOT NULL,
        target text NOT NULL,
        PRIMARY KEY (ws, seq)
    );
    CREATE INDEX activity_target ON activity (ws, target);
    """,
)

_SORT_COLUMNS = {
    "tiktok_username": None,
    "follower_count": "follower_count",
    "total_gmv": "total_gmv",
}

_FILTER_COLUMNS = {
    "badge": "badge",
    "tier": "tier",
    "outreach_status": "outreach_status",
    "whitelisted": "whitelisted",
}

_HASH = re.compile(r"\A[0-9a-f]{64}\Z")


def _bad_cursor() -> InvalidInputError:
    err = InvalidInputError("cursor: not a cursor of this query")
    err.field = "cursor"
    err.reason = "not a cursor of this query"
    return err


class PostgresStore:
    """A creator-crm store in one PostgreSQL schema, created (and migrated) on first use.

    `conn` is a psycopg connection this store owns for its lifetime: every method runs in
    its own transaction on it. `schema` is created when missing.
    """

    def __init__(self, conn: psycopg.Connection[Any], schema: str = "creator_crm") -> None:
        self.conn = conn
        self.schema = schema
        conn.autocommit = False
        with conn.transaction():
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
            conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (id int PRIMARY KEY CHECK (id = 1), "
                "applied int NOT NULL)"
            )
            conn.execute("INSERT INTO schema_version VALUES (1, 0) ON CONFLICT DO NOTHING")
            row = conn.execute("SELECT applied FROM schema_version FOR UPDATE").fetchone()
            applied = int(row[0]) if row else 0
            if applied > len(MIGRATIONS):
                raise RuntimeError(
                    f"schema {schema!r} is at version {applied}, newer than this store "
                    f"({len(MIGRATIONS)})"
                )
            for step in MIGRATIONS[applied:]:
                conn.execute(step)
            conn.execute("UPDATE schema_version SET applied = %s", (len(MIGRATIONS),))
        conn.commit()

    # --- reads -----------------------------------------------------------------------

    def _rows(self, query: str, params: Sequence[Any]) -> List[Tuple[Any, ...]]:
        with self.conn.transaction():
            return self.conn.execute(query, params).fetchall()

    def creators(self, workspace: str, handles: List[str]) -> List[Json]:
        rows = self._rows(
            "SELECT record, version FROM creators WHERE ws = %s AND handle = ANY(%s) "
            "ORDER BY handle",
            (workspace, list(handles)),
        )
        return [_with_version(r, v) for r, v in rows]

    def creators_with_emails(self, workspace: str, emails: List[str]) -> List[Json]:
        rows = self._rows(
            "SELECT record, version FROM creators WHERE ws = %s AND emails && %s::text[] "
            "ORDER BY handle",
            (workspace, list(emails)),
        )
        return [_with_version(r, v) for r, v in rows]

    def related(self, workspace: str, handles: List[str]) -> Json:
        hs = list(handles)
        with self.conn.transaction():
            ex = self.conn.execute
            videos = ex(
                "SELECT record FROM videos WHERE ws = %s AND handle = ANY(%s) ORDER BY video_id",
                (workspace, hs),
            ).fetchall()
            return {
                "samples": _records(ex(
                    "SELECT record FROM samples WHERE ws = %s AND handle = ANY(%s) "
                    "ORDER BY order_id, sku_id",
                    (workspace, hs),
                )),
                "videos": [r for (r,) in videos],
                "video_products": self._links(workspace, [r["video_id"] for (r,) in videos]),
                "snapshots": _records(ex(
                    "SELECT record FROM snapshots WHERE ws = %s AND handle = ANY(%s) "
                    "ORDER BY handle, day, source",
                    (workspace, hs),
                )),
                "brand_links": [
                    {"handle": h, "brand": b}
                    for h, b in ex(
                        "SELECT handle, brand FROM brand_links WHERE ws = %s "
                        "AND handle = ANY(%s) ORDER BY handle, brand",
                        (workspace, hs),
                    ).fetchall()
                ],
                "products": [],
            }

    def related_by_keys(self, workspace: str, keys: Json) -> Json:
        samples = [tuple(k) for k in keys.get("samples", [])]
        with self.conn.transaction():
            ex = self.conn.execute
            videos = ex(
                "SELECT record FROM videos WHERE ws = %s AND video_id = ANY(%s) "
                "ORDER BY video_id",
                (workspace, list(keys.get("videos", []))),
            ).fetchall()
            return {
                "samples": _records(ex(
                    "SELECT s.record FROM samples s JOIN unnest(%s::text[], %s::text[]) "
                    "AS k(o, sku) ON s.order_id = k.o AND s.sku_id = k.sku "
                    "WHERE s.ws = %s ORDER BY s.order_id, s.sku_id",
                    ([o for o, _ in samples], [s for _, s in samples], workspace),
                )),
                "videos": [r for (r,) in videos],
                "video_products": self._links(workspace, [r["video_id"] for (r,) in videos]),
                "snapshots": [],
                "brand_links": [],
                "products": _records(ex(
                    "SELECT record FROM products WHERE ws = %s AND product_id = ANY(%s) "
                    "ORDER BY product_id",
                    (workspace, list(keys.get("products", []))),
                )),
            }

    def _links(self, workspace: str, video_ids: List[str]) -> List[Json]:
        rows = self.conn.execute(
            "SELECT video_id, product_id FROM video_products WHERE ws = %s "
            "AND video_id = ANY(%s) ORDER BY video_id, product_id",
            (workspace, video_ids),
        ).fetchall()
        return [{"video_id": v, "product_id": p} for v, p in rows]

    def list_creators(self, workspace: str, query: Json) -> Json:
        sort = query.get("sort", "tiktok_username")
        if sort not in _SORT_COLUMNS:
            raise InvalidInputError("order_by: unknown sort field")
        descending = bool(query.get("descending", False))
        limit = max(int(query.get("limit", 50)), 1)
        column = _SORT_COLUMNS[sort]
        where, params = _filter_sql(workspace, query.get("filter") or {})

        page_where, page_params = list(where), list(params)
        cursor = query.get("cursor")
        if cursor is not None:
            cond, cparams = _after_cursor(cursor, sort, column, descending)
            page_where.append(cond)
            page_params.extend(cparams)

        if column is None:
            order = "handle"
        else:
            order = f"{column} {'DESC' if descending else 'ASC'} NULLS LAST, handle"
        with self.conn.transaction():
            (total,) = self.conn.execute(
                f"SELECT count(*) FROM creators WHERE {' AND '.join(where)}", params
            ).fetchone() or (0,)
            rows = self.conn.execute(
                f"SELECT record, version FROM creators WHERE {' AND '.join(page_where)} "
                f"ORDER BY {order} LIMIT %s",
                [*page_params, limit + 1],
            ).fetchall()
        items = [_with_version(r, v) for r, v in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last = items[-1]["creator"]
            value = "" if column is None else _sort_text(last.get(sort))
            direction = "desc" if descending else "asc"
            next_cursor = f"{sort}:{direction}:{value}:{last['handle']}"
        return {"items": items, "next_cursor": next_cursor, "total": int(total)}

    def search_creators(self, workspace: str, text: str, limit: int) -> List[Json]:
        needle = text.strip().lower()
        if not needle:
            return []
        rows = self._rows(
            "SELECT record, version FROM creators WHERE ws = %s AND "
            "(strpos(handle, %s) > 0 OR strpos(name_lc, %s) > 0 "
            "OR strpos(coalesce(email_lc, ''), %s) > 0) ORDER BY handle LIMIT %s",
            (workspace, needle, needle, needle, limit),
        )
        return [_with_version(r, v) for r, v in rows]

    def suppression(self, workspace: str) -> List[str]:
        rows = self._rows("SELECT hash FROM suppression WHERE ws = %s ORDER BY hash", (workspace,))
        return [h for (h,) in rows]

    def supporters(self, workspace: str, creator: str) -> Json:
        with self.conn.transaction():
            rows = self.conn.execute(
                "SELECT record FROM supporters WHERE ws = %s AND creator = %s ORDER BY id",
                (workspace, creator),
            ).fetchall()
            cd = self.conn.execute(
                "SELECT state, version FROM cooldowns WHERE ws = %s AND creator = %s",
                (workspace, creator),
            ).fetchone()
        state, version = cd if cd else ({}, 0)
        return {
            "supporters": [r for (r,) in rows],
            "cooldowns": state,
            "cooldowns_version": int(version),
        }

    def activity(self, workspace: str, limit: int) -> List[Json]:
        rows = self._rows(
            "SELECT record, seq, target FROM activity WHERE ws = %s ORDER BY seq DESC LIMIT %s",
            (workspace, limit),
        )
        return [{**r, "seq": int(s), "target": t} for r, s, t in rows]

    # --- the one write ---------------------------------------------------------------

    def apply(self, workspace: str, changes: Json) -> None:
        with self.conn.transaction():
            ex = self.conn.execute
            ex("INSERT INTO workspaces VALUES (%s) ON CONFLICT DO NOTHING", (workspace,))
            ex("SELECT ws FROM workspaces WHERE ws = %s FOR UPDATE", (workspace,))
            for change in changes.get("changes", []):
                kind = change["change"]
                handler = self._APPLY.get(kind)
                if handler is None:
                    raise InvalidInputError(f"change: unknown change {kind!r}")
                handler(self, workspace, change)

    def _creator_version(self, ws: str, handle: str) -> int:
        row = self.conn.execute(
            "SELECT version FROM creators WHERE ws = %s AND handle = %s FOR UPDATE",
            (ws, handle),
        ).fetchone()
        return int(row[0]) if row else 0

    def _put_creator(self, ws: str, change: Json) -> None:
        stored = change["creator"]
        creator = stored["creator"]
        handle = creator["handle"]
        expected = int(change["expected"])
        if self._creator_version(ws, handle) != expected:
            raise ConflictError("creator: stale version")
        profile = stored["profile"]
        record = {k: v for k, v in stored.items() if k != "version"}
        email = creator.get("email")
        emails = sorted(
            {e["value"] for e in stored["evidence"]["values"] if e["field"] == "email"}
        )
        followers = creator.get("follower_count")
        self.conn.execute(
            "INSERT INTO creators (ws, handle, version, record, name_lc, email_lc, has_phone, "
            "badge, tier, whitelisted, outreach_status, tags, brands, emails, follower_count, "
            "total_gmv) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (ws, handle) DO UPDATE SET version = EXCLUDED.version, "
            "record = EXCLUDED.record, name_lc = EXCLUDED.name_lc, email_lc = EXCLUDED.email_lc, "
            "has_phone = EXCLUDED.has_phone, badge = EXCLUDED.badge, tier = EXCLUDED.tier, "
            "whitelisted = EXCLUDED.whitelisted, outreach_status = EXCLUDED.outreach_status, "
            "tags = EXCLUDED.tags, brands = EXCLUDED.brands, emails = EXCLUDED.emails, "
            "follower_count = EXCLUDED.follower_count, total_gmv = EXCLUDED.total_gmv",
            (
                ws,
                handle,
                expected + 1,
                Jsonb(record),
                f"{creator.get('first_name', '')} {creator.get('last_name', '')}".lower(),
                email.lower() if email is not None else None,
                creator.get("phone") is not None,
                profile.get("badge"),
                profile.get("tier"),
                bool(profile.get("whitelisted", False)),
                profile.get("outreach_status", "pending"),
                sorted(profile.get("tags", [])),
                sorted(stored.get("brands", [])),
                emails,
                followers,
                Decimal(str(creator.get("total_gmv", "0"))),
            ),
        )

    def _delete_creator(self, ws: str, change: Json) -> None:
        handle = change["handle"]
        held = self._creator_version(ws, handle)
        if held == 0 or held != int(change["expected"]):
            raise ConflictError("creator: stale version")
        ex = self.conn.execute
        ex("DELETE FROM creators WHERE ws = %s AND handle = %s", (ws, handle))
        self._remove_records_of(ws, [handle])
        ex("DELETE FROM supporters WHERE ws = %s AND creator = %s", (ws, handle))
        ex("DELETE FROM cooldowns WHERE ws = %s AND creator = %s", (ws, handle))

    def _remove_records_of(self, ws: str, handles: List[str]) -> None:
        ex = self.conn.execute
        ex("DELETE FROM samples WHERE ws = %s AND handle = ANY(%s)", (ws, handles))
        ex(
            "DELETE FROM video_products WHERE ws = %s AND video_id IN "
            "(SELECT video_id FROM videos WHERE ws = %s AND handle = ANY(%s))",
            (ws, ws, handles),
        )
        ex("DELETE FROM videos WHERE ws = %s AND handle = ANY(%s)", (ws, handles))
        ex("DELETE FROM snapshots WHERE ws = %s AND handle = ANY(%s)", (ws, handles))
        ex("DELETE FROM brand_links WHERE ws = %s AND handle = ANY(%s)", (ws, handles))

    def _put_related(self, ws: str, change: Json) -> None:
        self._remove_records_of(ws, list(change["handles"]))
        r = change["records"]
        cur = self.conn.cursor()
        upserts: List[Tuple[str, Iterable[Tuple[Any, ...]]]] = [
            (
                "INSERT INTO samples VALUES (%s, %s, %s, %s, %s) ON CONFLICT (ws, order_id, "
                "sku_id) DO UPDATE SET handle = EXCLUDED.handle, record = EXCLUDED.record",
                ((ws, s["order_id"], s["sku_id"], s["handle"], Jsonb(s)) for s in r["samples"]),
            ),
            (
                "INSERT INTO videos VALUES (%s, %s, %s, %s) ON CONFLICT (ws, video_id) "
                "DO UPDATE SET handle = EXCLUDED.handle, record = EXCLUDED.record",
                ((ws, v["video_id"], v["handle"], Jsonb(v)) for v in r["videos"]),
            ),
            (
                "INSERT INTO video_products VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                ((ws, v["video_id"], v["product_id"]) for v in r["video_products"]),
            ),
            (
                "INSERT INTO snapshots VALUES (%s, %s, %s, %s, %s) ON CONFLICT (ws, handle, "
                "day, source) DO UPDATE SET record = EXCLUDED.record",
                (
                    (ws, s["handle"], s.get("date") or "", s["source"], Jsonb(s))
                    for s in r["snapshots"]
                ),
            ),
            (
                "INSERT INTO brand_links VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                ((ws, b["handle"], b["brand"]) for b in r["brand_links"]),
            ),
            (
                "INSERT INTO products VALUES (%s, %s, %s) ON CONFLICT (ws, product_id) "
                "DO UPDATE SET record = EXCLUDED.record",
                ((ws, p["product_id"], Jsonb(p)) for p in r["products"]),
            ),
        ]
        for statement, rows in upserts:
            cur.executemany(statement, list(rows))

    def _suppress(self, ws: str, change: Json) -> None:
        hashes = list(change["hashes"])
        if not all(isinstance(h, str) and _HASH.match(h) for h in hashes):
            raise InvalidInputError("hashes: not a 64-digit hex hash")
        self.conn.cursor().executemany(
            "INSERT INTO suppression VALUES (%s, %s) ON CONFLICT DO NOTHING",
            [(ws, h) for h in hashes],
        )

    def _put_supporters(self, ws: str, change: Json) -> None:
        self.conn.cursor().executemany(
            "INSERT INTO supporters VALUES (%s, %s, %s, %s) ON CONFLICT (ws, creator, id) "
            "DO UPDATE SET record = EXCLUDED.record",
            [(ws, change["creator"], s["id"], Jsonb(s)) for s in change["supporters"]],
        )

    def _delete_supporters(self, ws: str, change: Json) -> None:
        self.conn.execute(
            "DELETE FROM supporters WHERE ws = %s AND creator = %s AND id = ANY(%s)",
            (ws, change["creator"], list(change["ids"])),
        )

    def _put_cooldowns(self, ws: str, change: Json) -> None:
        creator = change["creator"]
        row = self.conn.execute(
            "SELECT version FROM cooldowns WHERE ws = %s AND creator = %s FOR UPDATE",
            (ws, creator),
        ).fetchone()
        expected = int(change["expected"])
        if (int(row[0]) if row else 0) != expected:
            raise ConflictError("cooldowns: stale version")
        self.conn.execute(
            "INSERT INTO cooldowns VALUES (%s, %s, %s, %s) ON CONFLICT (ws, creator) "
            "DO UPDATE SET version = EXCLUDED.version, state = EXCLUDED.state",
            (ws, creator, expected + 1, Jsonb(change["state"])),
        )

    def _log_activity(self, ws: str, change: Json) -> None:
        record = dict(change["record"])
        target = record.pop("target", "")
        record.pop("seq", None)
        self.conn.execute(
            "INSERT INTO activity SELECT %s, coalesce(max(seq), 0) + 1, %s, %s "
            "FROM activity WHERE ws = %s",
            (ws, Jsonb(record), target, ws),
        )

    def _redact_activity(self, ws: str, change: Json) -> None:
        self.conn.execute(
            "UPDATE activity SET target = '' WHERE ws = %s AND target = %s",
            (ws, change["target"]),
        )

    _APPLY: Dict[str, Callable[["PostgresStore", str, Json], None]] = {
        "put_creator": _put_creator,
        "delete_creator": _delete_creator,
        "put_related": _put_related,
        "suppress": _suppress,
        "put_supporters": _put_supporters,
        "delete_supporters": _delete_supporters,
        "put_cooldowns": _put_cooldowns,
        "log_activity": _log_activity,
        "redact_activity": _redact_activity,
    }


def _with_version(record: Json, version: int) -> Json:
    return {**record, "version": int(version)}


def _records(cur: "psycopg.Cursor[Any]") -> List[Json]:
    return [r for (r,) in cur.fetchall()]


def _filter_sql(workspace: str, f: Json) -> Tuple[List[str], List[Any]]:
    where = ["ws = %s"]
    params: List[Any] = [workspace]
    for key, column in _FILTER_COLUMNS.items():
        if f.get(key) is not None:
            where.append(f"{column} = %s")
            params.append(f[key])
    if f.get("brand") is not None:
        where.append("brands @> ARRAY[%s]::text[]")
        params.append(f["brand"])
    if f.get("tags"):
        where.append("tags @> %s::text[]")
        params.append(list(f["tags"]))
    if f.get("has_phone") is not None:
        where.append("has_phone = %s")
        params.append(bool(f["has_phone"]))
    if f.get("has_email") is not None:
        where.append("(email_lc IS NOT NULL) = %s")
        params.append(bool(f["has_email"]))
    return where, params


def _sort_text(value: Any) -> str:
    return "" if value is None else str(value)


def _after_cursor(
    cursor: str, sort: str, column: Optional[str], descending: bool
) -> Tuple[str, List[Any]]:
    """The condition "strictly after the position `cursor` names", checked against the
    query (`field:direction:value:handle`, as the library's own stores write it)."""
    parts = cursor.split(":", 3)
    if len(parts) != 4:
        raise _bad_cursor()
    field, direction, value, handle = parts
    if field != sort or direction != ("desc" if descending else "asc") or not handle:
        raise _bad_cursor()
    if column is None:
        if value:
            raise _bad_cursor()
        return "handle > %s", [handle]
    if not value:
        return f"({column} IS NULL AND handle > %s)", [handle]
    try:
        parsed: Any = int(value) if column == "follower_count" else Decimal(value)
    except (ValueError, InvalidOperation):
        raise _bad_cursor() from None
    beyond = "<" if descending else ">"
    return (
        f"({column} {beyond} %s OR ({column} = %s AND handle > %s) OR {column} IS NULL)",
        [parsed, parsed, handle],
    )
