"""build.ca_certificates without an engine: only certificate blocks of regular files inside the
configured folder reach the build context (no link followed, no secret copied), over the class
"a file that is not just a certificate": links out, secrets around a block, non-PEM files."""

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aishell.builder import foundation, proxy
from aishell.builder.plan import ca_files, make_plan
from aishell.config import clear_cache
from aishell.errors import ConfigError, InputError

SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
FAKE = b"-----BEGIN CERTIFICATE-----\nMIIBfakeAAAA\n-----END CERTIFICATE-----\n"
SECRET = b"AWS_SECRET_ACCESS_KEY=hunter2-do-not-leak"


def real_certificate() -> bytes:
    if os.path.isfile(SYSTEM_BUNDLE):
        with open(SYSTEM_BUNDLE, "rb") as f:
            data = f.read()
        start, end = data.find(b"-----BEGIN CERTIFICATE-----"), data.find(b"-----END CERTIFICATE-----")
        if 0 <= start < end:
            return data[start:end] + b"-----END CERTIFICATE-----\n"
    return FAKE


@pytest.fixture
def proj(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for var in ("AISHELL_CA_CERTS", "AISHELL_DEBIAN_IMAGE", "AISHELL_NODE_IMAGE", "AISHELL_REGISTRY"):
        monkeypatch.delenv(var, raising=False)
    root = tmp_path / "p"
    (root / ".aishell").mkdir(parents=True)
    (root / ".aishell" / "config.yaml").write_text("build:\n  ca_certificates: certs\n")
    (root / "certs").mkdir()
    (tmp_path / "home" / ".ssh").mkdir(parents=True)
    (tmp_path / "home" / ".ssh" / "id_rsa").write_bytes(SECRET)
    clear_cache()
    yield root
    clear_cache()


def context(root) -> dict[str, bytes]:
    plan = make_plan(str(root), {})
    files = foundation.inputs(plan, None)[1]
    assert {k: v for k, v in proxy.inputs(plan, None)[1].items() if k.startswith("ca-")} == {
        k: v for k, v in files.items() if k.startswith("ca-")
    }
    return {k: v for k, v in files.items() if k.startswith("ca-certificates/")}


def test_only_certificate_blocks_of_regular_files_reach_the_context(proj):
    cert = real_certificate()
    certs = proj / "certs"
    (certs / "real.crt").write_bytes(cert)
    (certs / "mixed.crt").write_bytes(SECRET + b"\n" + FAKE + b"\n" + SECRET + b"\n")
    (certs / "plain.crt").write_bytes(SECRET + b"\n")
    (certs / "dir.crt").mkdir()
    os.mkfifo(certs / "fifo.crt")
    files = context(proj)
    assert files == {
        "ca-certificates/.keep": b"",
        "ca-certificates/real.crt": cert,
        "ca-certificates/mixed.crt": FAKE,
    }
    assert not any(b"hunter2" in v for v in files.values())


@pytest.mark.parametrize("target", ["/proc/self/environ", "../../home/.ssh/id_rsa", "real.crt"])
def test_a_link_in_the_folder_is_refused_with_one_line(proj, target):
    (proj / "certs" / "real.crt").write_bytes(FAKE)
    os.symlink(target, proj / "certs" / "k.crt")
    with pytest.raises(InputError) as e:
        make_plan(str(proj), {})
    assert "k.crt" in str(e.value) and "link" in str(e.value) and "\n" not in str(e.value)


def test_the_configured_path_itself_may_be_a_link(tmp_path):
    (tmp_path / "bundle.pem").write_bytes(SECRET + b"\n" + FAKE)
    os.symlink(tmp_path / "bundle.pem", tmp_path / "ca.crt")
    assert ca_files(str(tmp_path / "ca.crt")) == [("extra-ca.crt", FAKE)]
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs" / "a.crt").write_bytes(FAKE)
    os.symlink(tmp_path / "certs", tmp_path / "link")
    assert ca_files(str(tmp_path / "link")) == [("a.crt", FAKE)]
    if os.path.isfile(SYSTEM_BUNDLE):  # often a link itself
        assert ca_files(SYSTEM_BUNDLE)[0][1].startswith(b"-----BEGIN CERTIFICATE-----")


def test_a_single_file_without_a_certificate_is_refused(tmp_path):
    (tmp_path / "x.crt").write_bytes(
        SECRET + b"\n-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n"
    )
    with pytest.raises(ConfigError):
        ca_files(str(tmp_path / "x.crt"))


@settings(max_examples=200, deadline=None)
@given(before=st.binary(max_size=200), after=st.binary(max_size=200))
def test_nothing_around_a_block_survives(before, after):
    from aishell.builder.plan import pem_blocks

    out = pem_blocks(before + b"\n" + FAKE + after)
    assert FAKE in out
    rest = out.replace(FAKE, b"")
    assert rest == b"" or (
        rest.startswith(b"-----BEGIN CERTIFICATE-----") and rest.endswith(b"-----END CERTIFICATE-----\n")
    )
    for block in out.split(b"-----END CERTIFICATE-----\n")[:-1]:
        body = block.split(b"-----BEGIN CERTIFICATE-----", 1)[1]
        assert set(body) <= set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\r\n\t ")
