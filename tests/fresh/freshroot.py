"""Builds a new Debian 12 root and proves the two commands in it (issue 9, item 1).

tests/fresh/test_fresh_root.py runs this program as root inside a private mount and pid namespace
(`unshare --mount --propagation private --pid --fork --kill-child`): every mount made here exists
only in that namespace, so the kernel drops them all (and ends every process started here, QEMU
included) when this program ends, however it ends. The `finally` below still unmounts them in
order and reports what is left, and the test asserts that nothing is.

The steps, each with its own log under WORK/logs/:
  debootstrap   a minbase bookworm root with python3, python3-venv, git, gcc and make, from the
                Debian mirror the host's own apt sources name (never a name written here)
  configure     the host's apt sources and apt.conf.d settings; pip's config files and the CA
                bundle, as a new machine of this kind has them
  clone         the project at COMMIT, cloned from SOURCE into /root/ringlet in the root
  inner-test    `./ringlet test` in the root: it must install everything itself
  inner-run     `./ringlet run` in the root: wait for the shell prompt, type poweroff
WORK/result.json records each step's status and time, and the mounts left after cleanup.
"""

from __future__ import annotations

import argparse
import configparser
import json
import os
import re
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

# Run as a script (inside unshare): the ringlet package is beside the tests, under tools/.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from ringlet.debian import SUITE, apt_source_files, debian_mirror, read_apt_sources  # noqa: E402

PACKAGES = "python3,python3-venv,git,gcc,make"
CLONE_IN_ROOT = Path("/root/ringlet")
PROMPT = re.compile(rb"(?m)^\$ ")
INNER_TEST_TIMEOUT = 50 * 60
INNER_RUN_TIMEOUT = 10 * 60
CHROOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# ---- the host's pip configuration ----

PIP_CONFIG_PLACES = ("/etc/pip.conf", "/etc/xdg/pip", "~/.config/pip", "~/.pip")
PIP_LOCAL_KEYS = ("find-links", "index-url", "extra-index-url", "constraint", "requirement")
PIP_CERT_KEYS = ("cert", "client-cert")
CA_FILE_VARIABLES = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
DEFAULT_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
PASSED_VARIABLES = re.compile(
    r"PIP_\w+|SSL_CERT_FILE|SSL_CERT_DIR|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE|"
    r"(?i:https?_proxy|no_proxy)"
)


def env_name(key: str) -> str:
    return "PIP_" + key.upper().replace("-", "_")


def pip_config_places(environ: Mapping[str, str]) -> list[Path]:
    """The standard pip config files and folders that exist here (and PIP_CONFIG_FILE)."""
    places = [Path(os.path.expanduser(p)) for p in PIP_CONFIG_PLACES]
    if environ.get("PIP_CONFIG_FILE"):
        places.append(Path(environ["PIP_CONFIG_FILE"]))
    return [p for p in places if p.exists()]


def pip_config_files(places: Iterable[Path]) -> list[Path]:
    files = []
    for p in places:
        files += sorted(p.glob("*.conf")) if p.is_dir() else [p]
    return files


def pip_settings(
    files: Iterable[Path], environ: Mapping[str, str], keys: Iterable[str]
) -> list[str]:
    """Every value (split on whitespace, as pip does) of these keys in any section of the
    config files, and in their PIP_* environment variables."""
    keys = tuple(keys)
    values = []
    for f in files:
        config = configparser.RawConfigParser()
        try:
            config.read(f)
        except configparser.Error:
            continue
        for section in config.sections():
            values += [w for k in keys for w in config.get(section, k, fallback="").split()]
    values += [w for k in keys for w in environ.get(env_name(k), "").split()]
    return values


def local_path(value: str) -> Path | None:
    """The folder or file a pip setting names on this machine, if it names one (file:// URL or
    an absolute path). An index folder called `simple` comes with its parent: PEP 503 file
    indexes link to their files there (`../../files/...`)."""
    if value.startswith("file:"):
        path = Path(unquote(urlparse(value).path))
    elif value.startswith("/"):
        path = Path(value)
    else:
        return None
    if path.name == "simple" and path.is_dir():
        path = path.parent
    return path


def pip_read_only_paths(files: Iterable[Path], environ: Mapping[str, str]) -> list[Path]:
    """Local wheel folders, indexes and constraint files pip is told to use: bind-mounted
    read-only at the same paths in the root."""
    paths = [local_path(v) for v in pip_settings(files, environ, PIP_LOCAL_KEYS)]
    return sorted({p for p in paths if p is not None and p.exists()})


def ca_files(files: Iterable[Path], environ: Mapping[str, str]) -> list[Path]:
    """The CA bundles pip and the TLS libraries are told to use: copied into the root."""
    named = pip_settings(files, environ, PIP_CERT_KEYS)
    named += [environ[v] for v in CA_FILE_VARIABLES if environ.get(v)]
    named.append(DEFAULT_CA_BUNDLE)
    return sorted({Path(n) for n in named if n.startswith("/") and Path(n).is_file()})


def passed_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The package-client variables (pip, CA bundles, proxies) the root's commands get."""
    return {k: v for k, v in environ.items() if PASSED_VARIABLES.fullmatch(k)}


# ---- mounts ----


def mount_points(mountinfo: str) -> list[Path]:
    """Mount points listed in a /proc/PID/mountinfo text (octal escapes decoded)."""
    points = []
    for line in mountinfo.splitlines():
        fields = line.split()
        if len(fields) > 4:
            points.append(Path(re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), fields[4])))
    return points


def mounts_under(root: Path) -> list[Path]:
    """Mounts at or below root in this process's mount namespace."""
    text = Path("/proc/self/mountinfo").read_text()
    return [p for p in mount_points(text) if p == root or root in p.parents]


class Mounts:
    """The mounts made in the root, undone in reverse order by unmount_all()."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: list[Path] = []

    def target(self, path: Path | str) -> Path:
        return self.root / Path(path).relative_to("/")

    def mount(self, log: Log, *args: str, target: Path) -> None:
        log.run(["mount", *args, str(target)])
        self.made.append(target)

    def read_only_bind(self, log: Log, source: Path) -> None:
        target = self.target(source)
        if source.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.touch()
        self.mount(log, "--bind", str(source), target=target)
        log.run(["mount", "-o", "remount,bind,ro", str(target)])

    def unmount_all(self) -> None:
        for target in reversed(self.made):
            if subprocess.run(["umount", "-R", str(target)]).returncode != 0:
                subprocess.run(["umount", "-R", "-l", str(target)])
        self.made.clear()


# ---- steps ----


@dataclass
class Step:
    status: str = "not run"
    seconds: float = 0.0
    log: str = ""
    notes: list[str] = field(default_factory=list)


class Log:
    """One step's log file; every command is written there before it runs."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.file = open(path, "wb")

    def note(self, text: str) -> None:
        self.file.write(text.encode() + b"\n")
        self.file.flush()

    def run(self, argv: list[str], *, timeout: float | None = None, **kwargs: object) -> None:
        """Runs argv with its output in this log; raises StepFailed when it fails."""
        self.note("+ " + " ".join(argv))
        try:
            code = subprocess.run(
                argv, stdout=self.file, stderr=subprocess.STDOUT, timeout=timeout, **kwargs
            ).returncode
        except subprocess.TimeoutExpired:
            raise StepFailed(f"{argv[0]} did not finish in {timeout} s") from None
        if code != 0:
            raise StepFailed(f"{' '.join(argv[:3])} ... failed with status {code}")


class StepFailed(Exception):
    pass


class FreshRoot:
    def __init__(self, work: Path, source: Path, commit: str) -> None:
        self.work, self.source, self.commit = work, source, commit
        self.root = work / "root"
        self.logs = work / "logs"
        self.steps: dict[str, Step] = {}
        self.carried: dict[str, list[str]] = {}
        self.environ = passed_environment(os.environ)

    def step(self, name: str, action: Callable[[Log], None]) -> bool:
        """Runs one step with its own log; records its status and time in result.json."""
        step = self.steps[name] = Step(status="running", log=str(self.logs / f"{name}.log"))
        log = Log(self.logs / f"{name}.log")
        started = time.monotonic()
        try:
            action(log)
            step.status = "passed"
        except (StepFailed, OSError) as e:
            step.status = "failed"
            step.notes.append(str(e))
            log.note(f"freshroot: {name} failed: {e}")
        finally:
            step.seconds = round(time.monotonic() - started, 1)
            log.file.close()
            self.save()
        return step.status == "passed"

    def save(self) -> None:
        result = {
            "commit": self.commit,
            "steps": {k: asdict(v) for k, v in self.steps.items()},
            "carried": self.carried,
            "mounts_left": [str(p) for p in mounts_under(self.root)],
        }
        (self.work / "result.json").write_text(json.dumps(result, indent=2) + "\n")

    # ---- the steps ----
    def remove_old_root(self, log: Log) -> None:
        if left := mounts_under(self.root):
            raise StepFailed(f"mounts are left under {self.root}, not deleting it: {left}")
        if self.root.exists():
            log.run(["rm", "-rf", "--one-file-system", str(self.root)])

    def debootstrap(self, log: Log) -> None:
        if shutil.which("debootstrap") is None:
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            log.run(["apt-get", "update"], env=env)
            log.run(["apt-get", "install", "-y", "debootstrap"], env=env)
        mirror = debian_mirror(read_apt_sources(apt_source_files()))
        self.root.mkdir(parents=True)
        argv = ["debootstrap", "--variant=minbase", f"--include={PACKAGES}", SUITE]
        log.run([*argv, str(self.root), mirror], timeout=30 * 60)

    def configure(self, log: Log) -> None:
        # apt: exactly the host's sources and settings.
        apt = self.root / "etc" / "apt"
        (apt / "sources.list").unlink(missing_ok=True)
        for f in (apt / "sources.list.d").glob("*"):
            f.unlink()
        for f in apt_source_files():
            self.copy_in(f, log, "apt")
        for f in sorted(Path("/etc/apt/apt.conf.d").glob("*")):
            if f.is_file():
                self.copy_in(f, log, "apt")
        # pip: its config files and folders, and the CA bundles it and TLS are told to use.
        places = pip_config_places(os.environ)
        for place in places:
            self.copy_in(place, log, "pip config")
        for f in ca_files(pip_config_files(places), os.environ):
            self.copy_in(f, log, "CA bundle")
        self.carried["environment"] = sorted(self.environ)  # names only: values stay out of logs
        log.note("passed through: " + " ".join(sorted(self.environ)))

    def copy_in(self, path: Path, log: Log, kind: str) -> None:
        target = self.root / path.relative_to("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        log.note(f"copy {path} -> {target}")
        if path.is_dir():
            shutil.copytree(path, target, symlinks=True, dirs_exist_ok=True)
        else:
            shutil.copy2(path, target)
        self.carried.setdefault(kind, []).append(str(path))

    def clone(self, log: Log) -> None:
        dest = self.root / CLONE_IN_ROOT.relative_to("/")
        log.run(["git", "clone", "--quiet", "--no-hardlinks", str(self.source), str(dest)])
        log.run(["git", "-C", str(dest), "fetch", "--quiet", str(self.source), self.commit])
        log.run(["git", "-C", str(dest), "checkout", "--quiet", "--detach", self.commit])
        head = subprocess.run(
            ["git", "-C", str(dest), "rev-parse", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        if head != self.commit:
            raise StepFailed(f"the clone is at {head}, not {self.commit}")

    def mount_all(self, mounts: Mounts, log: Log) -> None:
        mounts.mount(log, "-t", "proc", "proc", target=mounts.target("/proc"))
        mounts.mount(log, "-t", "sysfs", "sysfs", target=mounts.target("/sys"))
        mounts.mount(log, "--rbind", "/dev", target=mounts.target("/dev"))  # /dev/pts, /dev/shm
        places = pip_config_places(os.environ)
        for path in pip_read_only_paths(pip_config_files(places), os.environ):
            mounts.read_only_bind(log, path)
            self.carried.setdefault("read-only", []).append(str(path))

    def chroot_argv(self, command: str) -> list[str]:
        env = {
            "PATH": CHROOT_PATH,
            "HOME": "/root",
            "USER": "root",
            "LANG": "C.UTF-8",
            "TERM": "dumb",
            **self.environ,
        }
        shell = f"cd {CLONE_IN_ROOT} && exec {command}"
        return [
            "chroot",
            str(self.root),
            "/usr/bin/env",
            "-i",
            *(f"{k}={v}" for k, v in env.items()),
            "/bin/sh",
            "-c",
            shell,
        ]

    def inner_test(self, log: Log) -> None:
        log.note("+ chroot ROOT ./ringlet test")
        log.file.flush()
        try:
            code = subprocess.run(
                self.chroot_argv("./ringlet test"),
                stdin=subprocess.DEVNULL,
                stdout=log.file,
                stderr=subprocess.STDOUT,
                timeout=INNER_TEST_TIMEOUT,
            ).returncode
        except subprocess.TimeoutExpired:
            raise StepFailed(f"./ringlet test did not finish in {INNER_TEST_TIMEOUT} s") from None
        log.note(f"freshroot: ./ringlet test exited with status {code}")
        if code != 0:
            raise StepFailed(f"./ringlet test exited with status {code}")

    def inner_run(self, log: Log) -> None:
        """./ringlet run through pipes: waits for the prompt, types poweroff, expects status 0."""
        log.note("+ chroot ROOT ./ringlet run --timeout 300   (typing poweroff at the prompt)")
        proc = subprocess.Popen(
            self.chroot_argv("./ringlet run --timeout 300"),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        assert proc.stdin is not None and proc.stdout is not None
        output = b""
        limit = time.monotonic() + INNER_RUN_TIMEOUT
        typed = False
        try:
            while True:
                if time.monotonic() > limit:
                    raise StepFailed(f"./ringlet run did not end in {INNER_RUN_TIMEOUT} s")
                if not select.select([proc.stdout], [], [], 1.0)[0]:
                    continue
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                output += chunk
                log.file.write(chunk)
                log.file.flush()
                if not typed and PROMPT.search(output):
                    log.note("\nfreshroot: saw the prompt; typing poweroff")
                    proc.stdin.write(b"poweroff\n")
                    proc.stdin.flush()
                    typed = True
            code = proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        log.note(f"\nfreshroot: ./ringlet run exited with status {code}")
        if not typed:
            raise StepFailed("./ringlet run ended before the shell prompt appeared")
        if code != 0:
            raise StepFailed(f"./ringlet run exited with status {code}")

    def run(self, keep: bool) -> bool:
        """Runs every step; True when all passed. Logs and result.json of an earlier run go
        first, so nothing read afterwards can come from it."""
        shutil.rmtree(self.logs, ignore_errors=True)
        (self.work / "result.json").unlink(missing_ok=True)
        self.logs.mkdir(parents=True)
        ok = self.step("remove-old-root", self.remove_old_root)
        ok = ok and self.step("debootstrap", self.debootstrap)
        ok = ok and self.step("configure", self.configure)
        ok = ok and self.step("clone", self.clone)
        mounts = None
        try:
            if ok:
                mounts = Mounts(self.root)
                ok = self.step("mount", lambda log: self.mount_all(mounts, log))
            if ok:
                tested = self.step("inner-test", self.inner_test)
                ran = self.step("inner-run", self.inner_run)
                ok = tested and ran
        finally:
            if mounts is not None:
                mounts.unmount_all()
            self.save()  # records the mounts left after cleanup
        if ok and not keep and not mounts_under(self.root):
            subprocess.run(["rm", "-rf", "--one-file-system", str(self.root)])
        return ok


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="root, logs and result go here")
    parser.add_argument("--source", type=Path, required=True, help="the repository to clone")
    parser.add_argument("--commit", required=True, help="the commit to test")
    parser.add_argument("--keep", action="store_true", help="keep the root after a pass too")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        raise SystemExit("freshroot: must run as root (debootstrap, mount, chroot)")
    fresh = FreshRoot(args.work.resolve(), args.source.resolve(), args.commit)
    return 0 if fresh.run(args.keep) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
