#!/usr/bin/env python3
"""Check a plugin zip against what the official QGIS plugin repository requires before it accepts it.

The checks follow the repository's validator (github.com/qgis/QGIS-Plugins-Website,
``qgis-app/plugins/validator.py``, master of 2026-07-23), written anew here (nothing of its code is copied):

- the zip is at most 25,000,000 bytes and opens, and no member has a bad CRC;
- no member path holds ``..``, starts with ``/``, holds a backslash or starts with a drive letter;
- no member name contains ``.pyc``, and no path component is ``__MACOSX``, ``.git`` or ``__pycache__``;
- one top-level folder (the validator warns about several and reads only the first), a valid Python
  identifier (required of new plugins) that matches ``[A-Za-z][A-Za-z0-9-_]+``;
- ``<folder>/__init__.py``, ``<folder>/metadata.txt`` with a ``[general]`` section that configparser reads
  as UTF-8 with its default interpolation (a lone ``%`` in a value is an error), and in it name, description, version, qgisMinimumVersion, author, email, about, tracker and
  repository;
- tracker, repository and homepage (optional in name, but the validator requests it even when it is
  absent, and fails) have a scheme and a host and are not the validator's own examples
  (``http://bugs``, ``http://repo``, ``http://homepage``); the validator then requests each one and refuses
  any that does not answer below HTTP 400 within 10 s. That cannot be done without the web, so here they
  must be ``https`` and must not be a placeholder (see ``PLACEHOLDER_URLS``): a maintainer sets the real
  addresses (README, "Publishing");
- ``<folder>/LICENSE`` (required since 3 June 2024);
- the author holds no ``/``;
- and, for approval (not for the upload), the author confirms the metadata's email by a link mailed to
  it: here the email must be an address, and not a no-reply one.

Also checked, as the repository reports them (without refusing the upload):

- ``supportsQt6`` is deprecated (QGIS 4 support is read from qgisMaximumVersion): not set;
- the security scan flags Python files with the executable bit, files ending in .exe, .dll, .so, .dylib,
  .bat, .sh, .ps1 or .cmd, and hidden files: none.

And the optional ``screenshot`` key, by the rules of the repository's pull request 236 (not merged into
master on 2026-07-23; master ignores the key): the file is in the zip, PNG, JPEG or GIF by its name, at
most 2 MiB.

Our own rules on top: the zip is named ``<folder>-<version>.zip``, the changelog's first entry is that
version (version and changelog are written only in metadata.txt), and the zip holds no development files
(tests, benchmarks, scripts, CI, Makefile).

Usage: ``python3 scripts/check_package.py [--local] ZIP``. Exit status 1 when a check fails; with
``--local`` (a zip for *Install from ZIP* on one's own machine) placeholder URLs and a no-reply email are
reported as warnings.
Standard library only, Python ≥ 3.9.
"""

import argparse
import configparser
import keyword
import mimetypes
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

MAX_ZIP_BYTES = 25_000_000
MAX_SCREENSHOT_BYTES = 2 * 1024 * 1024
REQUIRED_METADATA = (
    "name",
    "description",
    "version",
    "qgisMinimumVersion",
    "author",
    "email",
    "about",
    "tracker",
    "repository",
)
URL_KEYS = ("tracker", "repository", "homepage")
VALIDATOR_EXAMPLE_URLS = {
    "tracker": "http://bugs",
    "repository": "http://repo",
    "homepage": "http://homepage",
}
# Addresses known not to exist: the project's first metadata pointed to this GitHub repository, which was
# never created (issue 17). The repository's validator refuses an address that does not answer.
PLACEHOLDER_URLS = ("https://github.com/carbon-sink-diagnostics/carbon-sink-diagnostics",)
# Reserved names that never belong to a real project (RFC 2606, RFC 6761).
PLACEHOLDER_HOSTS = re.compile(r"(^|\.)(example\.(com|org|net)|example|invalid|test|localhost)$")
FORBIDDEN_DIRS = ("__MACOSX", ".git", "__pycache__")
SUSPICIOUS_SUFFIXES = (".exe", ".dll", ".so", ".dylib", ".bat", ".sh", ".ps1", ".cmd")
HIDDEN_ALLOWED = (".gitignore", ".gitattributes", ".bandit", ".secrets.baseline", ".flake8")
SCREENSHOT_TYPES = ("image/png", "image/jpeg", "image/gif")
DEVELOPMENT = (
    "test/",
    "tests/",
    "bench/",
    "scripts/",
    ".ci/",
    "Makefile",
    "pyproject.toml",
    "requirements-dev.txt",
)


@dataclass(frozen=True)
class Problem:
    check: str  # a short name of the check, e.g. "license"
    message: str
    placeholder: bool = False  # a placeholder URL or email: accepted (as a warning) for local builds

    def __str__(self):
        return f"{self.check}: {self.message}"


def is_placeholder_url(url):
    """True for an address known not to exist or reserved for examples."""
    host = (urlparse(url).hostname or "").lower()
    known = any(url.rstrip("/") == p or url.startswith(p + "/") for p in PLACEHOLDER_URLS)
    return known or bool(PLACEHOLDER_HOSTS.search(host))


def _url_problems(metadata):
    problems = []
    for key in URL_KEYS:
        url = metadata.get(key, "").strip()
        if not url:
            if key == "homepage":  # optional in name, but the validator requests it and fails on none
                problems.append(Problem("urls", "homepage is missing: the repository's validator refuses it"))
            continue  # tracker and repository: reported by the required-metadata check
        parsed = urlparse(url)
        if url == VALIDATOR_EXAMPLE_URLS[key] or not (parsed.scheme and parsed.netloc):
            problems.append(Problem("urls", f"{key}={url} is not a valid address"))
        elif parsed.scheme != "https":
            problems.append(Problem("urls", f"{key}={url} is not https"))
        elif is_placeholder_url(url):
            problems.append(
                Problem(
                    "urls",
                    f"{key}={url} is a placeholder that does not exist; the plugin repository refuses "
                    "addresses that do not answer: set the real one in metadata.txt (README: Publishing)",
                    placeholder=True,
                )
            )
    return problems


def _email_problems(metadata):
    email = metadata.get("email", "").strip()
    if not email:
        return []  # reported by the required-metadata check
    local, _, domain = email.rpartition("@")
    if not local or "." not in domain or any(c.isspace() for c in email):
        return [Problem("email", f"email={email} is not an address")]
    if re.search(r"no-?reply", email, re.IGNORECASE) or PLACEHOLDER_HOSTS.search(domain.lower()):
        return [
            Problem(
                "email",
                f"email={email} cannot receive mail; the plugin repository approves a plugin only once its "
                "author has confirmed this address: set a real one in metadata.txt (README: Publishing)",
                placeholder=True,
            )
        ]
    return []


def _member_problems(names, infos):
    problems = []
    for name in names:
        if ".." in name or name.startswith("/"):
            problems.append(Problem("paths", f"{name}: path information (.. or a leading /)"))
        if "\\" in name:
            problems.append(Problem("paths", f"{name}: a backslash in the name"))
        if re.match(r"^[A-Za-z]:", name):
            problems.append(Problem("paths", f"{name}: a drive letter"))
        if ".pyc" in name:
            problems.append(Problem("compiled", f"{name}: a .pyc file"))
        parts = name.split("/")
        for forbidden in FORBIDDEN_DIRS:
            if forbidden in parts:
                problems.append(Problem("forbidden directory", f"{name}: a {forbidden} directory"))
    for info in infos:
        base = info.filename.rstrip("/").rsplit("/", 1)[-1]
        mode = info.external_attr >> 16
        if info.filename.endswith(".py") and mode & 0o111:
            problems.append(
                Problem("security scan", f"{info.filename}: a Python file with the executable bit")
            )
        if info.filename.lower().endswith(SUSPICIOUS_SUFFIXES):
            problems.append(Problem("security scan", f"{info.filename}: a suspicious file type"))
        if base.startswith(".") and base not in HIDDEN_ALLOWED:
            problems.append(Problem("security scan", f"{info.filename}: a hidden file"))
    return problems


def _read_metadata(zf, path):
    # As the validator reads it: with configparser's default interpolation, so a lone "%" in a value (write
    # "%%") makes the repository refuse the file.
    parser = configparser.ConfigParser()
    parser.optionxform = str
    parser.read_string(zf.read(path).decode("utf-8"))
    if not parser.has_section("general"):
        raise ValueError("no [general] section")
    return dict(parser.items("general"))


def check_package(zip_path):
    """Every problem the plugin repository (or its security scan) would find in the zip; empty when none.

    Parameters
    ----------
    zip_path : str or Path
        The zip ``make package`` built.

    Returns
    -------
    list of Problem
    """
    zip_path = Path(zip_path)
    problems = []
    size = zip_path.stat().st_size
    if size > MAX_ZIP_BYTES:
        problems.append(Problem("size", f"{size} bytes, more than {MAX_ZIP_BYTES}"))
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as e:
        return problems + [Problem("zip", f"cannot be opened: {e}")]
    with zf:
        names = zf.namelist()
        problems += _member_problems(names, zf.infolist())
        bad = zf.testzip()
        if bad:
            problems.append(Problem("zip", f"bad CRC on {bad}"))
        if not names or "/" not in names[0]:
            return problems + [Problem("folder", "no top-level folder: the plugin must be in one folder")]
        folder = names[0].split("/", 1)[0]
        others = sorted({n.split("/", 1)[0] for n in names} - {folder})
        if others:
            problems.append(
                Problem("folder", f"more than one top-level folder: {folder}, {', '.join(others)}")
            )
        if not folder.isidentifier() or keyword.iskeyword(folder):
            problems.append(Problem("folder", f"{folder} is not a Python identifier"))
        if not re.match(r"^[A-Za-z][A-Za-z0-9-_]+$", folder):
            problems.append(Problem("folder", f"{folder} does not match [A-Za-z][A-Za-z0-9-_]+"))
        for needed in ("__init__.py", "metadata.txt", "LICENSE"):
            if f"{folder}/{needed}" not in names:
                problems.append(Problem(needed.lower(), f"{folder}/{needed} is missing"))
        for dev in DEVELOPMENT:
            if any(n.startswith(f"{folder}/{dev}") for n in names):
                problems.append(Problem("development files", f"{folder}/{dev} is in the zip"))
        if f"{folder}/metadata.txt" not in names:
            return problems
        try:
            metadata = _read_metadata(zf, f"{folder}/metadata.txt")
        except (ValueError, UnicodeDecodeError, configparser.Error) as e:
            return problems + [Problem("metadata", f"metadata.txt cannot be read: {e}")]
        missing = [k for k in REQUIRED_METADATA if not metadata.get(k, "").strip()]
        if missing:
            problems.append(Problem("metadata", f"missing or empty in metadata.txt: {', '.join(missing)}"))
        if "/" in metadata.get("author", ""):
            problems.append(Problem("metadata", "the author holds a slash"))
        if "supportsQt6" in metadata:
            problems.append(
                Problem(
                    "metadata", "supportsQt6 is deprecated: QGIS 4 support is read from qgisMaximumVersion"
                )
            )
        problems += _url_problems(metadata)
        problems += _email_problems(metadata)
        problems += _screenshot_problems(zf, folder, names, metadata)
        problems += _version_problems(zip_path, folder, metadata)
    return problems


def _screenshot_problems(zf, folder, names, metadata):
    screenshot = metadata.get("screenshot", "").strip()
    if not screenshot:
        return []
    member = f"{folder}/{screenshot[2:] if screenshot.startswith('./') else screenshot}"
    if member not in names:
        return [Problem("screenshot", f"screenshot={screenshot} is not in the zip")]
    problems = []
    size = zf.getinfo(member).file_size
    if size > MAX_SCREENSHOT_BYTES:
        problems.append(Problem("screenshot", f"{screenshot} is {size} bytes, more than 2 MiB"))
    kind = mimetypes.guess_type(screenshot)[0]
    if kind not in SCREENSHOT_TYPES:
        problems.append(Problem("screenshot", f"{screenshot} is not PNG, JPEG or GIF ({kind})"))
    return problems


def _version_problems(zip_path, folder, metadata):
    version = metadata.get("version", "").strip()
    problems = []
    if zip_path.name != f"{folder}-{version}.zip":
        problems.append(Problem("version", f"{zip_path.name} is not named {folder}-{version}.zip"))
    entries = [line.strip() for line in metadata.get("changelog", "").splitlines() if line.strip()]
    if not entries or not re.match(rf"^{re.escape(version)}\b", entries[0]):
        problems.append(Problem("changelog", f"the changelog's first entry is not version {version}"))
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("zip", type=Path)
    parser.add_argument("--local", action="store_true", help="a local build: placeholder URLs only warn")
    args = parser.parse_args(argv)
    problems = check_package(args.zip)
    failed = [p for p in problems if not (args.local and p.placeholder)]
    for p in problems:
        print(f"{'REFUSED' if p in failed else 'warning'} {args.zip.name}: {p}", file=sys.stderr)
    if failed and any(p.placeholder for p in failed):
        print(
            "For a zip to install on your own machine (Install from ZIP), not to publish: make package LOCAL=1",
            file=sys.stderr,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
