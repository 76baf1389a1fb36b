"""aishell.labels is the only place a label key, tag or volume name is spelled (no engine)."""

import ast
import re
from pathlib import Path

from aishell import labels

ROOT = Path(__file__).resolve().parent.parent
# A string that is (or starts) a label key, a label filter or an aishell image tag / volume name.
NAME = re.compile(r"^aishell(?:\.[a-z][\w.-]*|:[a-z][\w.-]*|-harness)")
KEYS = {v for k, v in vars(labels).items() if k.isupper() and isinstance(v, str) and v.startswith("aishell.")}


def test_no_label_key_or_tag_is_spelled_outside_labels():
    """Every string constant (f-string pieces included) in aishell/ that names a label, tag
    or volume comes from aishell.labels; images.LEGACY is the lint's legacy name, not ours."""
    found = []
    for path in sorted((ROOT / "aishell").rglob("*.py")):
        if path.name == "labels.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and NAME.match(node.value):
                if not node.value.startswith("aishell:base"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert not found, "spell these with aishell.labels:\n" + "\n".join(found)


def test_the_foundation_template_uses_the_label_keys():
    text = (ROOT / "aishell" / "templates" / "foundation" / "Dockerfile").read_text()
    used = set(re.findall(r"\baishell\.[a-z][\w-]*(?:\.[a-z][\w-]*)*", text))
    assert used and used <= KEYS, used - KEYS
    assert f"{labels.COMPONENT}={labels.COMPONENT_FOUNDATION}" in text


def test_names_are_cut_from_the_hash():
    h = "0123456789abcdef" * 4
    assert labels.foundation_tag(h) == "aishell:foundation-0123456789ab"
    assert labels.carrier_tag(h) == "aishell-harness-build:0123456789ab"
    assert labels.volume_name(h) == "aishell-harness-0123456789abcdef"
    assert labels.FOUNDATION == "aishell:foundation"


def test_extension_tag_is_per_real_path(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "p")
    assert labels.extension_tag(str(tmp_path / "link")) == labels.extension_tag(str(tmp_path / "p"))
    assert labels.extension_tag(str(tmp_path / "p")) != labels.extension_tag(str(tmp_path))
    assert re.fullmatch(r"aishell:ext-[0-9a-f]{12}", labels.extension_tag(str(tmp_path)))


def test_harnesses_label_round_trips():
    versions = {"codex": "0.1.0", "claude": "2.1.301"}
    value = labels.harnesses_value(versions)
    assert value == "claude=2.1.301,codex=0.1.0"
    assert labels.parse_harnesses(value) == versions
    assert labels.parse_harnesses(None) == {} and labels.parse_harnesses("junk,,x") == {}
