"""The type stubs `_native.pyi` describe exactly what the extension module exports."""

import ast
import inspect
from pathlib import Path

import pytest

import creator_crm
from creator_crm import _native

STUB = Path(creator_crm.__file__).with_name("_native.pyi")


def _stub_tree() -> ast.Module:
    return ast.parse(STUB.read_text(encoding="utf-8"))


def _public(name: str) -> bool:
    return not name.startswith("_") or name == "__version__"


def _stub_top_level() -> dict:
    names = {}
    for node in _stub_tree().body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names[node.name] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] = node
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names[target.id] = node
    return {name: node for name, node in names.items() if _public(name)}


def _module_public() -> set:
    return {name for name in dir(_native) if _public(name)}


def _stub_params(fn: ast.FunctionDef) -> list:
    """(name, kind, default source) of each parameter of a stub function, `self` dropped."""
    args = fn.args
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    params = []
    for i, (arg, default) in enumerate(zip(positional, defaults)):
        kind = "POSITIONAL_ONLY" if i < len(args.posonlyargs) else "POSITIONAL_OR_KEYWORD"
        params.append((arg.arg, kind, None if default is None else ast.literal_eval(default)))
    if args.vararg:
        params.append((args.vararg.arg, "VAR_POSITIONAL", None))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        params.append((arg.arg, "KEYWORD_ONLY", None if default is None else ast.literal_eval(default)))
    if args.kwarg:
        params.append((args.kwarg.arg, "VAR_KEYWORD", None))
    return [p for p in params if p[0] != "self"]


def _runtime_params(obj) -> list:
    sig = inspect.signature(obj)
    return [
        (
            p.name,
            p.kind.name,
            None if p.default is inspect.Parameter.empty else p.default,
        )
        for p in sig.parameters.values()
        if p.name != "self"
    ]


def test_every_module_name_is_in_the_stub_and_back():
    assert set(_stub_top_level()) == _module_public()


def test_package_reexports_the_whole_module():
    assert set(creator_crm.__all__) == _module_public()
    for name in creator_crm.__all__:
        assert getattr(creator_crm, name) is getattr(_native, name)


STUB_FUNCTIONS = [n for n in _stub_top_level().values() if isinstance(n, ast.FunctionDef)]
STUB_CLASSES = [n for n in _stub_top_level().values() if isinstance(n, ast.ClassDef)]


@pytest.mark.parametrize("fn", STUB_FUNCTIONS, ids=lambda n: n.name)
def test_function_signatures_match(fn):
    runtime = getattr(_native, fn.name)
    assert callable(runtime)
    assert _runtime_params(runtime) == _stub_params(fn)


@pytest.mark.parametrize("fn", STUB_FUNCTIONS, ids=lambda n: n.name)
def test_functions_have_google_style_docstrings(fn):
    doc = inspect.getdoc(getattr(_native, fn.name))
    assert doc, f"{fn.name} has no docstring"
    has_args = bool(_stub_params(fn))
    assert ("Args:" in doc) == has_args
    assert "Returns:" in doc


@pytest.mark.parametrize("cls", STUB_CLASSES, ids=lambda n: n.name)
def test_class_bases_match(cls):
    runtime = getattr(_native, cls.name)
    assert isinstance(runtime, type)
    stub_bases = [ast.unparse(b) for b in cls.bases] or ["object"]
    assert [b.__name__ for b in runtime.__bases__] == stub_bases


@pytest.mark.parametrize("cls", STUB_CLASSES, ids=lambda n: n.name)
def test_class_members_match(cls):
    runtime = getattr(_native, cls.name)
    if issubclass(runtime, BaseException):
        # Exception attributes (`code`, `field`, ...) are set on instances.
        return
    stub_members = {}
    for node in cls.body:
        if isinstance(node, ast.FunctionDef):
            stub_members[node.name] = node
    runtime_members = {
        name
        for name, value in vars(runtime).items()
        if not name.startswith("_") or name in stub_members
    }
    public_stub = {n for n in stub_members if not n.startswith("_") or n in vars(runtime)}
    assert public_stub == runtime_members
    for name, node in stub_members.items():
        if name == "__init__":
            # A pyo3 constructor is `__new__`; its signature is the class's.
            assert _runtime_params(runtime) == _stub_params(node)
            continue
        value = vars(runtime)[name]
        if isinstance(value, property) or type(value).__name__ == "getset_descriptor":
            assert any(
                isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list
            ), f"{cls.name}.{name} is a property at runtime"
        elif not name.startswith("__"):
            assert _runtime_params(getattr(runtime, name)) == _stub_params(node)


@pytest.mark.parametrize("cls", STUB_CLASSES, ids=lambda n: n.name)
def test_classes_have_docstrings(cls):
    assert inspect.getdoc(getattr(_native, cls.name))
