"""The fresh-root driver's readers of the host's configuration, on sample files (fast: these run
in the plain ./ringlet test). The names below are examples, not this machine's settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from freshroot import (
    ca_files,
    local_path,
    mount_points,
    passed_environment,
    pip_read_only_paths,
    pip_settings,
)
from ringlet.debian import AptSource, debian_mirror, parse_deb822_sources, parse_one_line_sources
from ringlet.errors import SetupError

DEB822 = """\
Types: deb
# a comment
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://src.example/debian
Suites: bookworm
Components: main

Types: deb
URIs: http://security.example/debian-security
Suites: bookworm-security
Components: main

Types: deb
Enabled: no
URIs: http://off.example/debian
Suites: bookworm
Components: main
"""


def test_deb822_sources_keep_enabled_binary_entries() -> None:
    assert parse_deb822_sources(DEB822) == [
        AptSource("http://mirror.example/debian", ("bookworm", "bookworm-updates"), ("main",)),
        AptSource("http://security.example/debian-security", ("bookworm-security",), ("main",)),
    ]


def test_one_line_sources_skip_options_comments_and_deb_src() -> None:
    text = (
        "# deb http://commented.example/debian bookworm main\n"
        "deb-src http://src.example/debian bookworm main\n"
        "deb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian bookworm main contrib\n"
    )
    assert parse_one_line_sources(text) == [
        AptSource("http://mirror.example/debian", ("bookworm",), ("main", "contrib"))
    ]


def test_the_mirror_is_the_one_serving_bookworm_main() -> None:
    sources = [
        AptSource("http://security.example/ds", ("bookworm-security",), ("main",)),
        AptSource("http://other.example/x", ("bookworm",), ("contrib",)),
        AptSource("http://mirror.example/debian", ("bookworm-updates", "bookworm"), ("main",)),
    ]
    assert debian_mirror(sources) == "http://mirror.example/debian"
    # A host on another release: its plain release suite still names a Debian mirror.
    trixie = [AptSource("http://mirror.example/debian", ("trixie",), ("main",))]
    assert debian_mirror(trixie) == "http://mirror.example/debian"
    with pytest.raises(SetupError, match="no Debian mirror"):
        debian_mirror(sources[:2])


def test_pip_settings_come_from_every_section_and_the_environment(tmp_path: Path) -> None:
    conf = tmp_path / "pip.conf"
    conf.write_text(
        "[global]\nfind-links = /srv/wheels\nextra-index-url = file:///srv/idx/simple\n"
        "  http://remote.example/simple\n[install]\nconstraint = /srv/c.txt\n"
    )
    environ = {"PIP_FIND_LINKS": "/srv/more /srv/wheels", "PIP_NO_CACHE_DIR": "1"}
    keys = ("find-links", "extra-index-url", "constraint")
    assert pip_settings([conf], environ, keys) == [
        "/srv/wheels",
        "file:///srv/idx/simple",
        "http://remote.example/simple",
        "/srv/c.txt",
        "/srv/more",
        "/srv/wheels",
    ]


def test_local_paths_of_pip_settings(tmp_path: Path) -> None:
    (tmp_path / "idx" / "simple").mkdir(parents=True)
    assert local_path("http://remote.example/simple") is None
    assert local_path("wheels") is None
    assert local_path("/srv/wheels") == Path("/srv/wheels")
    assert local_path("file:///srv/with%20space") == Path("/srv/with space")
    # A file index called simple comes with its parent, where its links point.
    assert local_path(f"file://{tmp_path}/idx/simple") == tmp_path / "idx"


def test_read_only_paths_and_ca_files(tmp_path: Path) -> None:
    wheels, constraints, bundle = tmp_path / "wheels", tmp_path / "c.txt", tmp_path / "ca.pem"
    wheels.mkdir()
    constraints.write_text("x<2\n")
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    conf = tmp_path / "pip.conf"
    conf.write_text(
        f"[global]\nfind-links = {wheels} {tmp_path}/missing\nconstraint = {constraints}\n"
        f"cert = {bundle}\nindex-url = http://remote.example/simple\n"
    )
    assert pip_read_only_paths([conf], {}) == [constraints, wheels]
    assert bundle in ca_files([conf], {})
    assert bundle in ca_files([], {"SSL_CERT_FILE": str(bundle)})


def test_only_package_client_variables_pass() -> None:
    environ = {
        "PIP_CERT": "/c",
        "SSL_CERT_DIR": "/d",
        "https_proxy": "http://p.example:3128",
        "HOME": "/root",
        "PYTHONPATH": "/x",
        "MY_PIP_THING": "1",
    }
    assert passed_environment(environ) == {
        "PIP_CERT": "/c",
        "SSL_CERT_DIR": "/d",
        "https_proxy": "http://p.example:3128",
    }


def test_mount_points_decode_octal_escapes() -> None:
    mountinfo = (
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
        "90 22 0:5 / /srv/my\\040root/proc rw - proc proc rw\n"
    )
    assert mount_points(mountinfo) == [Path("/"), Path("/srv/my root/proc")]
