"""Growth guard for r69d's f-string shape (benchmarks/scale.py, fstring_fields): CPython 3.11
parses an f-string in time that grows with its placeholders times its length, and `migrate`
parsed every statement of a Python file that names the image (1.2 s at 270 KB, 13 s at 1.1 MB).
migrate.python_refs.FSTRING_BOUND refuses such a file with one line after a linear scan."""

from __future__ import annotations


import pytest

from aishell.errors import InputError
from aishell.migrate import python_refs
from aishell.migrate.python_refs import rewrite_python_bounded
from tests.growth import guard

from tests.bench_scale import scale


def _fields(n: int) -> str:
    return scale.fstring_fields(n * 10 + 40)[1]["fstrings.py"]


def test_many_placeholders_in_one_fstring_stay_linear():
    """3,125 placeholders (31 KB) parse; 200,000 (2 MB, 64 times as many) took about 80 s to parse
    (50,000: 4.9 s) and are refused after a scan. At 64 times the size a quadratic path takes 4,096
    times as long, the guard allows 640."""

    def migrate(n: int) -> None:
        try:
            rewrite_python_bounded(_fields(n), "f.py")
        except InputError:
            pass

    guard(migrate, 3_125, growth=64)
    with pytest.raises(InputError, match="line 1: f-strings of too many placeholders"):
        rewrite_python_bounded(_fields(200_000), "f.py")


@pytest.mark.parametrize(
    "source",
    [
        _fields(12_500),  # under FSTRING_WORK
        "IMAGE = 'aishell:base'\n" + "x = f'{a}{{b}}{c:{w}}'\n" * 20_000,  # many f-strings, few fields each
        "IMAGE = 'aishell:base'\nx = '" + "{a}" * 50_000 + "'\n# f'{a}'\n",  # braces, but not an f-string's
        "IMAGE = 'aishell:base'\nx = f'" + "{{a}}" * 50_000 + "'\n",  # escaped braces only
        "IMAGE = f'{\"aishell:base\"}'\n" + "y = f'''" + "{a}\n" * 900 + "'''\n",  # a triple-quoted one
    ],
    ids=["under the bound", "many small", "not f-strings", "escaped braces", "triple-quoted"],
)
def test_files_under_the_bound_are_rewritten_as_without_it(source, monkeypatch):
    """Below the bound, FSTRING_BOUND changes nothing: the same rewrite with it on and off."""
    on = rewrite_python_bounded(source, "f.py")
    monkeypatch.setattr(python_refs, "FSTRING_BOUND", False)
    assert rewrite_python_bounded(source, "f.py") == on
    assert "aishell:foundation" in on[0]


def test_the_bound_counts_placeholders_times_length():
    """A file whose f-strings each hold few placeholders is never refused, however many it has; one
    literal of many placeholders is, where its work passes both FSTRING_WORK and
    FSTRING_WORK_PER_CHAR a character."""
    assert python_refs.fstring_refusal("x = f'{a}'\n" * 300_000) is None
    assert python_refs.fstring_refusal("x = rf'" + "{a}" * 60_000 + "'\n") is not None
    assert python_refs.fstring_refusal("x = b'" + "{a}" * 60_000 + "'\n") is None
    assert python_refs.fstring_refusal("x = f'" + "{{a}}" * 60_000 + "'\n") is None
