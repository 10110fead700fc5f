"""creator_crm.scaleout: the partitioned merge's steps, driven by hand in this process,
equal merge_exports (every table and the report) for any partition count."""

import pickle
import random
from pathlib import Path

import pyarrow as pa
import pytest

import creator_crm
from creator_crm import CrmError, InvalidInputError, SourceImportError, merge_exports, scaleout

DATA = Path(__file__).resolve().parents[2] / "examples" / "demo" / "data"
KINDS = {
    "sample_orders": "sample_orders.csv",
    "euka": "euka.csv",
    "phone_numbers": "phone_numbers.csv",
    "refunnel": "refunnel.csv",
    "videos": "videos.csv",
    "products": "products.csv",
}
TABLES = list(scaleout.TABLES)


def run(sources, partitions, *, suppression=None, shuffle=None, via_paths=True, **options):
    """Every step by hand: route each file, summarize each partition, the global pass,
    merge each partition, combine. `shuffle` (a Random) reorders files and payloads."""
    names = {kind: [str(path)] for kind, path in sources.items()}
    plan = scaleout.Plan(names, partitions=partitions, suppression=suppression, **options)
    plan = pickle.loads(pickle.dumps(plan))
    payloads = {p: [] for p in range(partitions)}
    manifests = []
    files = list(enumerate(plan.files))
    if shuffle:
        shuffle.shuffle(files)
    paths = {str(path): path for path in sources.values()}
    for file_id, (_kind, name) in files:
        data = paths[name] if via_paths else Path(paths[name]).read_bytes()
        routed = scaleout.route(plan, file_id, data)
        assert routed.schema == scaleout.table_schema("route")
        for row in routed.to_pylist():
            if row["partition"] == -1:
                manifests.append(row["payload"])
            else:
                payloads[row["partition"]].append(row["payload"])
    if shuffle:
        for blobs in payloads.values():
            shuffle.shuffle(blobs)
    summaries = [scaleout.summarize(plan, p, payloads[p]) for p in range(partitions)]
    facts = scaleout.global_pass(plan, summaries, manifests)
    parts = [scaleout.merge_partition(plan, p, payloads[p], facts) for p in range(partitions)]
    for part in parts:
        for name in TABLES:
            assert part[name].schema == scaleout.table_schema(name), name
    return plan, facts, manifests, parts


def assert_same(got, want):
    for name in TABLES:
        assert getattr(got, name).to_pylist() == getattr(want, name).to_pylist(), name
    assert got.report.to_dict() == want.report.to_dict()


@pytest.fixture(scope="module")
def sample_sources():
    return {kind: DATA / name for kind, name in KINDS.items()}


@pytest.fixture(scope="module")
def sample_want(sample_sources):
    return merge_exports({k: str(v) for k, v in sample_sources.items()})


@pytest.mark.parametrize("partitions", [1, 2, 7])
def test_sample_data_equals_merge_exports(sample_sources, sample_want, partitions):
    sources = {k: str(v) for k, v in sample_sources.items()}
    plan, facts, manifests, parts = run(sources, partitions)
    got = scaleout.combine(plan, facts, manifests, parts)
    assert_same(got, sample_want)
    # The pieces the engines use without collecting everything: the report parts and
    # the tables reduced one by one.
    report = scaleout.combine_report(plan, facts, manifests, [p["report"] for p in parts])
    assert report.to_dict() == sample_want.report.to_dict()
    for name in TABLES:
        reduced = scaleout.reduce_table(name, [p[name] for p in parts])
        assert reduced.to_pylist() == getattr(sample_want, name).to_pylist(), name


def generate(dir_: Path, seed: int, creators: int = 120) -> dict:
    """Messy exports with team inboxes shared across partitions, suppressed people,
    record ids seen for several creators, spellings of one handle, bad rows."""
    rng = random.Random(seed)
    handles = [f"creator.{i:03d}" for i in range(creators)]
    spell = lambda h: rng.choice([h, "@" + h.upper(), f"https://www.tiktok.com/@{h}?lang=en", f" {h} "])  # noqa: E731
    inboxes = ["team@agency.co", "hello@studio.io"]
    email = lambda h: rng.choice(inboxes) if rng.random() < 0.15 else rng.choice([f"{h}@mail.org", f"{h.upper()}@Mail.org", "n/a", "bad@@x"])  # noqa: E731
    phone = lambda: rng.choice(["(+1)3159212129", "(+1)315*****29", "415555" + str(rng.randrange(1000, 9999)), "12", ""])  # noqa: E731
    day = lambda: f"2024-0{rng.randrange(1, 9)}-{rng.randrange(10, 28)}"  # noqa: E731
    rows = {k: [] for k in KINDS}
    for _ in range(creators * 3):
        h = rng.choice(handles)
        rows["euka"].append([spell(h), email(h), phone()])
        rows["phone_numbers"].append([spell(h), phone(), rng.choice(["José Martínez", "JosÃ© MartÃ\xadnez", "Ana B"])])
        rows["sample_orders"].append([str(rng.randrange(100, 160)), str(rng.randrange(1, 3)), spell(h), day(), phone()])
        rows["refunnel"].append([spell(h), rng.choice(["1.2K", "300", "3M", "x"]), rng.choice(["$1,234.56", "$10", ""]), day()])
        vid = rng.randrange(7000, 7100)
        rows["videos"].append([f"https://www.tiktok.com/@{h}/video/{vid}", spell(h), rng.choice(["$10", "$1.5K", ""]), day(), str(rng.randrange(1, 20))])
        rows["products"].append([rng.choice([str(rng.randrange(1, 20)), "sku-x", ""]), "Glow", rng.choice(["$5", "$7"])])
    rows["euka"].append(["x", "x@mail.org", ""])  # invalid handle
    rows["euka"].append(rows["euka"][0])  # a duplicate row
    headers = {
        "euka": ["handle", "email", "phone"],
        "phone_numbers": ["Username", "Phone #", "Recipient"],
        "sample_orders": ["Order ID", "SKU ID", "Buyer Username", "Created Time", "Phone #"],
        "refunnel": ["username", "followers", "gmv", "last_post"],
        "videos": ["Video link", "Creator username", "GMV", "Video post date", "Product ID"],
        "products": ["Product ID", "Product Name", "GMV"],
    }
    out = {}
    for kind, body in rows.items():
        rng.shuffle(body)
        path = dir_ / f"{kind}-{seed}.csv"
        lines = [",".join(headers[kind])]
        if kind == "sample_orders":
            lines.append("Platform unique order ID.,SKU,Buyer,Created,Phone")
        lines += [",".join('"' + c + '"' if "," in c else c for c in r) for r in body]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out[kind] = str(path)
    return out


@pytest.mark.parametrize("partitions", [1, 2, 7])
@pytest.mark.parametrize("seed", [1, 2])
def test_generated_data_equals_merge_exports(tmp_path, partitions, seed):
    sources = generate(tmp_path, seed)
    suppression = [{"handle": "creator.007"}, {"email": "creator.011@mail.org"}, {"phone": "+1 315 921 2129"}]
    want_merger = creator_crm.Merger()
    for s in suppression:
        want_merger.suppress(**s)
    for kind, path in sources.items():
        want_merger.add(kind, path)
    want = want_merger.result()
    assert want.report.shared_emails_dropped > 0
    assert want.report.creators_suppressed > 0
    plan, facts, manifests, parts = run(
        sources, partitions, suppression=suppression, shuffle=random.Random(seed), via_paths=False
    )
    assert_same(scaleout.combine(plan, facts, manifests, parts), want)


def test_without_related_records_equals_merge_exports(sample_sources):
    sources = {k: str(v) for k, v in sample_sources.items()}
    want = merge_exports(sources, related_records=False)
    plan, facts, manifests, parts = run(sources, 3, related_records=False)
    assert_same(scaleout.combine(plan, facts, manifests, parts), want)


def test_plan_pickles_and_describes_itself():
    plan = scaleout.Plan({"euka": ["a.csv", "b.csv"], "videos": "v.csv"}, partitions=4)
    assert plan.partitions == 4
    assert plan.files == [("euka", "a.csv"), ("euka", "b.csv"), ("videos", "v.csv")]
    again = pickle.loads(pickle.dumps(plan))
    assert again == plan and again.id == plan.id and again.files == plan.files
    assert scaleout.Plan.from_bytes(plan.to_bytes()) == plan
    assert "partitions=4" in repr(plan)


def test_a_file_that_cannot_be_read_raises_as_merge_exports_does(tmp_path):
    bad = tmp_path / "euka.csv"
    bad.write_text("nothing,here\n1,2\n", encoding="utf-8")
    with pytest.raises(SourceImportError) as want:
        merge_exports({"euka": str(bad)})
    plan = scaleout.Plan({"euka": [str(bad)]}, partitions=2)
    routed = scaleout.route(plan, 0, bad)
    manifests = [r["payload"] for r in routed.to_pylist() if r["partition"] == -1]
    with pytest.raises(SourceImportError) as got:
        scaleout.global_pass(plan, [], manifests)
    assert str(got.value) == str(want.value)
    with pytest.raises(InvalidInputError):
        scaleout.global_pass(plan, [], [])  # a file without a manifest


def test_bad_blobs_are_crm_errors():
    plan = scaleout.Plan({"euka": ["euka.csv"]}, partitions=2)
    other = scaleout.Plan({"euka": ["euka.csv"]}, partitions=3)
    routed = scaleout.route(plan, 0, b"handle,email\nana,ana@mail.org\n").to_pylist()
    payload = next(r for r in routed if r["partition"] >= 0)
    p, blob = payload["partition"], payload["payload"]
    for bad in [b"", b"garbage", blob[:-1], plan.to_bytes()]:
        with pytest.raises(InvalidInputError) as e:
            scaleout.summarize(plan, p, [bad])
        assert e.value.field == "blob"
    with pytest.raises(InvalidInputError, match="another plan"):
        scaleout.summarize(other, p, [blob])
    with pytest.raises(InvalidInputError, match="another partition"):
        scaleout.summarize(plan, 1 - p, [blob])
    with pytest.raises(CrmError):
        scaleout.Plan.from_bytes(blob)
    with pytest.raises(CrmError):
        scaleout.merge_partition(plan, p, [blob], b"not facts")
    with pytest.raises(InvalidInputError):
        scaleout.route(plan, 5, b"handle\nana\n")
    with pytest.raises(InvalidInputError):
        scaleout.table_schema("nope")
    with pytest.raises(InvalidInputError):
        scaleout.Plan({"euka": ["a.csv", "a.csv"]}, partitions=2)
    with pytest.raises(InvalidInputError):
        scaleout.Plan({"euka": ["a.csv"]}, partitions=0)


def test_payloads_may_be_an_arrow_table():
    plan = scaleout.Plan({"euka": ["euka.csv"]}, partitions=1)
    routed = scaleout.route(plan, 0, b"handle,email\nana,ana@mail.org\nbo,bo@mail.org\n")
    mine = routed.filter(pa.compute.equal(routed["partition"], 0))
    manifests = routed.filter(pa.compute.equal(routed["partition"], -1))
    summary = scaleout.summarize(plan, 0, mine)
    facts = scaleout.global_pass(plan, [summary], manifests)
    part = scaleout.merge_partition(plan, 0, mine, facts, output=False)
    assert "output" not in part
    assert part["creators"].column("tiktok_username").to_pylist() == ["ana", "bo"]
    with pytest.raises(InvalidInputError):
        scaleout.combine(plan, facts, manifests, [part])


def test_the_scaleout_stub_matches_the_module():
    import ast
    import inspect

    from test_stubs import _runtime_params, _stub_params

    stub = Path(creator_crm.__file__).with_name("scaleout.pyi")
    tree = ast.parse(stub.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
            runtime = getattr(scaleout, node.name)
            assert _runtime_params(runtime) == _stub_params(node), node.name
            if not node.name.startswith("_"):
                doc = inspect.getdoc(runtime)
                assert doc and "Returns:" in doc, node.name
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
            cls = getattr(scaleout, node.name)
            for member in node.body:
                if isinstance(member, ast.FunctionDef) and member.name == "__init__":
                    assert _runtime_params(cls) == _stub_params(member)
                elif isinstance(member, ast.FunctionDef) and not member.name.startswith("__"):
                    value = vars(cls)[member.name]
                    if type(value).__name__ != "getset_descriptor":
                        assert _runtime_params(getattr(cls, member.name)) == _stub_params(member)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    public = {n for n in dir(scaleout) if not n.startswith("__")}
    assert {n for n in names if not n.startswith("_")} | {"_plan_from_bytes"} == public
