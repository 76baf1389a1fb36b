"""Every config value of the wrong type is one config error line, never an internal error.

Found by a red team: `build: {ca_certificates: 1}` crashed lint, migrate, status, build and exec
(trust's check of the path called os.path.isabs on the number), and `build: {harnesses: [claude,
{codex: 2}]}` crashed status, build and exec (the plan made a mapping key of a mapping) while lint
accepted the file. The class: any key of `build:` or `run:` given any YAML type (a number, a
float, a list, a mapping, a boolean, a date, null, a string holding NUL), as a whole value or as
an item of a list or mapping. Each is loaded, granted (trust) and planned as every command does;
the answer is a value the code can use or ConfigError, nothing else.
"""

import itertools

import pytest

from aishell import config as config_mod
from aishell.config import BUILD_KEYS, RUN_KEYS, load_config
from aishell.errors import ConfigError
from tests.conftest import run_cli

BAD = [
    "1",
    "1.5",
    "[a, 1]",
    "{a: 1}",
    "true",
    "2024-01-01",
    "null",
    '"\\0x"',
    "[[claude]]",
    "[{codex: 2}]",
    "{claude: [1]}",
]


def _plan(root):
    from aishell.builder.plan import make_plan

    return make_plan(str(root), {})


def _cases():
    keys = [("build", k) for k in sorted(BUILD_KEYS)] + [("run", k) for k in sorted(RUN_KEYS)]
    return list(itertools.product(keys, BAD))


@pytest.fixture(autouse=True)
def _fresh(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    for name in ("AISHELL_CA_CERTS", "AISHELL_REGISTRY", "AISHELL_DEBIAN_IMAGE", "AISHELL_NODE_IMAGE"):
        monkeypatch.delenv(name, raising=False)
    config_mod.clear_cache()
    yield
    config_mod.clear_cache()


def test_every_key_and_type_is_used_or_refused(tmp_path):
    failures = []
    for k, ((section, key), value) in enumerate(_cases()):
        root = tmp_path / f"p{k}"
        (root / ".aishell").mkdir(parents=True)
        (root / ".aishell" / "config.yaml").write_text(f"{section}:\n  {key}: {value}\n")
        config_mod.clear_cache()
        try:
            cfg = load_config(str(root / ".aishell" / "config.yaml"))
            assert cfg.grant is not None
            _plan(root)
        except ConfigError:
            continue
        except Exception as e:  # noqa: BLE001
            failures.append(f"{section}.{key}: {value} -> {type(e).__name__}: {e}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("value", ["1", "[claude, {codex: 2}]", '"\\0x"'])
@pytest.mark.parametrize("key", ["ca_certificates", "harnesses"])
def test_lint_names_the_config_in_one_line(tmp_path, key, value):
    (tmp_path / ".aishell").mkdir()
    (tmp_path / ".aishell" / "config.yaml").write_text(f"build:\n  {key}: {value}\n")
    (tmp_path / ".aishell" / "Dockerfile").write_text("FROM aishell:foundation\n")
    r = run_cli("lint", cwd=tmp_path, env={"HOME": str(tmp_path / "home")})
    assert r.returncode == 2 and "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    assert "config.yaml" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
