"""Debian's packages for Ringlet: the host's own apt sources (read, never changed), and packages
fetched with Debian's own client (apt-get download) into build/debian/ through a private apt
state directory, for i386, then unpacked with dpkg-deb; source packages the same way
(apt-get source --download-only, unpacked with dpkg-source). The fresh-root test reads the
mirror here too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ringlet.errors import SetupError
from ringlet.paths import BUILD

SUITE = "bookworm"
DEBIAN = BUILD / "debian"


@dataclass(frozen=True)
class AptSource:
    uri: str
    suites: tuple[str, ...]
    components: tuple[str, ...]


def parse_one_line_sources(text: str) -> list[AptSource]:
    """The `deb` lines of a sources.list-format file (deb-src lines and comments skipped)."""
    sources = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        line = re.sub(r"\[[^\]]*\]", " ", line)  # [arch=amd64 signed-by=...]
        words = line.split()
        if len(words) >= 3 and words[0] == "deb":
            sources.append(AptSource(words[1], (words[2],), tuple(words[3:])))
    return sources


def parse_deb822_sources(text: str) -> list[AptSource]:
    """The enabled `deb` entries of a deb822 .sources file (several URIs give several sources)."""
    sources = []
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    for paragraph in re.split(r"\n\s*\n", "\n".join(lines)):
        fields: dict[str, str] = {}
        key = None
        for line in paragraph.splitlines():
            if line[:1].isspace() and key is not None:  # a continuation line
                fields[key] += " " + line.strip()
            elif ":" in line:
                key, value = line.split(":", 1)
                key = key.strip().lower()
                fields[key] = value.strip()
        if "deb" not in fields.get("types", "").split():
            continue
        if fields.get("enabled", "yes").lower() in ("no", "false", "0"):
            continue
        suites = tuple(fields.get("suites", "").split())
        components = tuple(fields.get("components", "").split())
        sources += [AptSource(uri, suites, components) for uri in fields.get("uris", "").split()]
    return sources


def apt_source_files(etc: Path = Path("/etc")) -> list[Path]:
    """The host's apt source files: sources.list and sources.list.d/*.list and *.sources."""
    files = [etc / "apt" / "sources.list"]
    listing = etc / "apt" / "sources.list.d"
    if listing.is_dir():
        files += sorted(p for p in listing.iterdir() if p.suffix in (".list", ".sources"))
    return [f for f in files if f.is_file()]


def read_apt_sources(files: Iterable[Path]) -> list[AptSource]:
    sources = []
    for f in files:
        text = f.read_text(errors="replace")
        parse = parse_deb822_sources if f.suffix == ".sources" else parse_one_line_sources
        sources += parse(text)
    return sources


def debian_mirror(sources: Iterable[AptSource], suite: str = SUITE) -> str:
    """The Debian mirror the host uses for SUITE: the first source that lists SUITE itself with
    main, else the first that lists a release suite (no -updates, -security) with main."""
    sources = [s for s in sources if "main" in s.components]
    for s in sources:
        if suite in s.suites:
            return s.uri
    for s in sources:
        if any(re.fullmatch(r"[a-z]+", x) for x in s.suites):
            return s.uri
    raise SetupError(f"no Debian mirror with {suite} main in the host's apt sources")


def apt_options(state: Path) -> list[str]:
    """apt-get options that keep everything (sources, lists, cache) in state, for i386 only."""
    return [
        "-o",
        f"Dir::Etc::SourceList={state / 'sources.list'}",
        "-o",
        "Dir::Etc::SourceParts=/dev/null",
        "-o",
        f"Dir::State::Lists={state / 'lists'}",
        "-o",
        f"Dir::Cache={state / 'cache'}",
        "-o",
        "Dir::State::status=/dev/null",
        "-o",
        "APT::Architectures::=i386",
        "-o",
        "Debug::NoLocking=1",
        "-q",
    ]


def _apt_get(state: Path, work: Path, name: str, *args: str) -> None:
    """Runs apt-get with the private state in state, in work; SetupError with apt's last words
    when it fails."""
    result = subprocess.run(
        ["apt-get", *apt_options(state), *args], cwd=work, capture_output=True, text=True
    )
    if result.returncode != 0:
        last = (result.stderr or result.stdout).strip().splitlines()[-1:]
        raise SetupError(f"apt-get {args[0]} {name}: {' '.join(last) or 'failed'}")


def _private_state(state: Path, line: str) -> None:
    """A private apt state directory whose only source is line."""
    for sub in ("lists/partial", "cache/archives/partial"):
        (state / sub).mkdir(parents=True, exist_ok=True)
    (state / "sources.list").write_text(line + "\n")


def source_of(package: str, out: Path = DEBIAN) -> tuple[str, str]:
    """The source package and version a fetched binary package was built from (its control
    file's Source field: "busybox (1:1.35.0-4+deb12u1)" for a rebuild, else Package and
    Version)."""
    debs = sorted((out / package).glob(f"{package}_*.deb"))
    if not debs:
        raise SetupError(f"{package} has not been fetched")
    fields = subprocess.run(
        ["dpkg-deb", "-f", str(debs[-1]), "Package", "Source", "Version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    control = dict(re.findall(r"^(\w+): (.*)$", fields, re.M))
    match = re.fullmatch(r"(\S+)(?: \((\S+)\))?", control.get("Source", control["Package"]))
    return match.group(1), match.group(2) or control["Version"]


def fetch_source(name: str, version: str | None = None, out: Path = DEBIAN) -> Path:
    """Downloads Debian's source package name (once: apt-get source --download-only, through a
    private deb-src list and state directory), of version when given, and unpacks it with
    dpkg-source; returns the unpacked tree. Raises SetupError with apt's last words when it
    cannot be had."""
    work = out / f"{name}-source" / (version or "newest").replace(":", "_")
    tree = work / "tree"
    if tree.is_dir():
        return tree
    if shutil.which("dpkg-source") is None:
        raise SetupError("dpkg-source is not installed (Debian's dpkg-dev)")
    state = out / "apt-source"
    mirror = debian_mirror(read_apt_sources(apt_source_files()))
    _private_state(state, f"deb-src {mirror} {SUITE} main")
    work.mkdir(parents=True, exist_ok=True)
    _apt_get(state, work, name, "update")
    wanted = f"{name}={version}" if version else name
    _apt_get(state, work, name, "source", "--download-only", wanted)
    dscs = sorted(work.glob(f"{name}_*.dsc"))
    if not dscs:
        raise SetupError(f"apt-get source {name} left no .dsc")
    unpacking = work / "tree.partial"
    subprocess.run(["rm", "-rf", str(unpacking)], check=True)
    result = subprocess.run(
        ["dpkg-source", "--no-check", "-x", dscs[-1].name, unpacking.name],
        cwd=work,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SetupError(f"dpkg-source -x {dscs[-1].name}: {result.stderr.strip()[-200:]}")
    unpacking.rename(tree)
    return tree


def fetch_package(name: str, out: Path = DEBIAN) -> Path:
    """Downloads Debian's i386 package name (once) and unpacks it; returns the unpacked root.
    Raises SetupError with apt's last words when the package cannot be had."""
    root = out / name / "root"
    if root.is_dir():
        return root
    state = out / "apt"
    mirror = debian_mirror(read_apt_sources(apt_source_files()))
    _private_state(state, f"deb [arch=i386] {mirror} {SUITE} main")
    work = out / name
    work.mkdir(parents=True, exist_ok=True)
    _apt_get(state, work, name, "update")
    _apt_get(state, work, name, "download", f"{name}:i386")
    debs = sorted(work.glob(f"{name}_*_i386.deb"))
    if not debs:
        raise SetupError(f"apt-get download {name} left no .deb")
    unpacking = work / "root.partial"
    subprocess.run(["dpkg-deb", "-x", str(debs[-1]), str(unpacking)], check=True)
    unpacking.rename(root)
    return root
