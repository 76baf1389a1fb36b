"""aishell/harness.py's npm option table, held to the installed npm's own config definitions
(@npmcli/config: every config whose type is not Boolean takes a value; Boolean with another
type: the value is optional), and read_args held to that reading for every option and
spelling. Without npm on the machine, skipped."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from aishell.harness import NPM, read_args

_DEFINITIONS = """
const path = require('path');
const root = require('child_process').execSync('npm root -g').toString().trim();
const d = require(path.join(root, 'npm/node_modules/@npmcli/config/lib/definitions/index.js'));
const out = {flag: [], value: [], optional: []};
for (const [k, def] of Object.entries(d.definitions)) {
  const t = [].concat(def.type);
  if (t.every(x => x === Boolean || x === null)) out.flag.push(k);
  else if (t.includes(Boolean)) out.optional.push(k);
  else out.value.push(k);
}
console.log(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def definitions() -> dict[str, list[str]]:
    if not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("no npm here")
    got = subprocess.run(["node", "-e", _DEFINITIONS], capture_output=True, text=True, timeout=60)
    if got.returncode:
        pytest.skip(f"npm's config definitions not found: {got.stderr[-200:]}")
    return json.loads(got.stdout)


def test_every_npm_config_is_in_the_table_with_its_arity(definitions):
    kinds = {"flag": NPM.flag, "value": NPM.value, "optional": NPM.optional}
    wrong = [(kind, name) for kind, names in definitions.items() for name in names if "--" + name not in kinds[kind]]
    assert not wrong


def test_a_package_after_any_npm_option_reads_as_npm_reads_it(definitions):
    """Every config x (`--name v`, `--name=v`, a flag alone, a flag with `false`) before a package:
    the package, and only it (besides the subcommand), is positional; an optional value's reading
    is not exact."""
    wrong = []
    for kind, names in definitions.items():
        for name in names:
            spellings = {
                "value": [["--" + name, "v"], [f"--{name}=v"]],
                "flag": [["--" + name], ["--" + name, "false"], [f"--{name}=true"]],
                "optional": [[f"--{name}=v"]],
            }[kind]
            for words in spellings:
                args = ["install", "-g", *words, "pkg"]
                got = read_args(args, NPM)
                if [args[k] for k in got.positional] != ["install", "pkg"] or not got.exact:
                    wrong.append(args)
    assert not wrong, wrong[:10]
