"""The zip `make package` builds, against the checks of the official QGIS plugin repository.

scripts/check_package.py applies the repository validator's checks (qgis/QGIS-Plugins-Website,
qgis-app/plugins/validator.py) in our own code; these tests show that each check refuses what the
repository refuses (small zips made here, one fault each), that the real zip passes every one of them
but the placeholder addresses a maintainer must replace (README: Publishing), and that `make package`
refuses to build a zip for publishing while those placeholders are in metadata.txt.
"""

import configparser
import importlib.util
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NAME = "carbon_sink_diagnostics"

_spec = importlib.util.spec_from_file_location("check_package", ROOT / "scripts" / "check_package.py")
check_package = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_package)

GOOD_METADATA = {
    "name": "Good Plugin",
    "qgisMinimumVersion": "3.22",
    "description": "Does good things.",
    "about": "Does good things, at length.",
    "version": "1.2.0",
    "author": "A. Author",
    "email": "author@university.edu",
    "tracker": "https://gitlab.com/someone/good_plugin/-/issues",
    "repository": "https://gitlab.com/someone/good_plugin",
    "homepage": "https://someone.gitlab.io/good_plugin",
    "screenshot": "shot.png",
    "changelog": "\n1.2.0 - Faster.\n1.1.0 - Better.",
}
PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _metadata_text(metadata):
    lines = ["[general]"]
    for key, value in metadata.items():
        lines.append(f"{key}={value}".replace("\n", "\n    "))
    return "\n".join(lines) + "\n"


def make_zip(folder, *, metadata=None, drop=(), extra=None, name=None, stored=False):
    """A plugin zip in `folder` that passes every check, or fails the ones the arguments break."""
    metadata = dict(GOOD_METADATA if metadata is None else metadata)
    top = "good_plugin"
    members = {
        f"{top}/": b"",
        f"{top}/__init__.py": b"def classFactory(iface):\n    pass\n",
        f"{top}/metadata.txt": _metadata_text(metadata).encode("utf-8"),
        f"{top}/LICENSE": b"GNU GENERAL PUBLIC LICENSE\nVersion 2, June 1991\n",
        f"{top}/shot.png": PNG_1PX,
    }
    for member in drop:
        members.pop(f"{top}/{member}")
    members.update(extra or {})
    path = Path(folder) / (name or f"{top}-{metadata.get('version', '')}.zip")
    compression = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", compression) as zf:
        for member, data in members.items():
            info = zipfile.ZipInfo(member)
            info.external_attr = (0o40755 if member.endswith("/") else 0o100644) << 16
            zf.writestr(info, data)
    return path


def problems_of(path):
    return check_package.check_package(path)


def checks_failed(path):
    return sorted({p.check for p in problems_of(path)})


# ---- each check refuses what the repository refuses


def test_a_good_plugin_passes_every_check(tmp_path):
    assert problems_of(make_zip(tmp_path)) == []


def test_no_license_is_refused(tmp_path):
    """The repository's rule since 3 June 2024, and the fault of the zip issue 17 reports."""
    assert checks_failed(make_zip(tmp_path, drop=["LICENSE"])) == ["license"]


def test_no_init_is_refused(tmp_path):
    assert checks_failed(make_zip(tmp_path, drop=["__init__.py"])) == ["__init__.py"]


def test_no_metadata_is_refused(tmp_path):
    assert checks_failed(make_zip(tmp_path, drop=["metadata.txt"])) == ["metadata.txt"]


def test_metadata_without_general_section_is_refused(tmp_path):
    path = make_zip(tmp_path, extra={"good_plugin/metadata.txt": b"[other]\nname=x\n"})
    assert checks_failed(path) == ["metadata"]


def test_a_lone_percent_sign_in_metadata_is_refused(tmp_path):
    """The validator reads metadata.txt with configparser's interpolation: "83 %" must be written "83 %%"."""
    path = make_zip(tmp_path, metadata={**GOOD_METADATA, "about": "Finds 83 % of the sinks."})
    assert checks_failed(path) == ["metadata"]
    assert problems_of(make_zip(tmp_path, metadata={**GOOD_METADATA, "about": "Finds 83 %% of them."})) == []


@pytest.mark.parametrize("key", check_package.REQUIRED_METADATA)
def test_each_required_metadata_key_is_required(tmp_path, key):
    metadata = {k: v for k, v in GOOD_METADATA.items() if k != key}
    found = [p for p in problems_of(make_zip(tmp_path, metadata=metadata)) if p.check == "metadata"]
    assert len(found) == 1 and key in found[0].message


@pytest.mark.parametrize(
    "member, check",
    [
        ("good_plugin/core/module.pyc", "compiled"),
        ("good_plugin/__pycache__/plugin.cpython-311.pyc", "compiled"),  # and the directory, below
        ("good_plugin/.git/HEAD", "forbidden directory"),
        ("good_plugin/__MACOSX/._plugin.py", "forbidden directory"),
        ("good_plugin/../evil.py", "paths"),
        ("good_plugin/dir\\file.py", "paths"),
    ],
)
def test_forbidden_members_are_refused(tmp_path, member, check):
    assert check in checks_failed(make_zip(tmp_path, extra={member: b"x"}))


def test_pycache_directory_is_refused_without_pyc(tmp_path):
    path = make_zip(tmp_path, extra={"good_plugin/__pycache__/notes.txt": b"x"})
    assert checks_failed(path) == ["forbidden directory"]


def test_the_top_folder_must_be_a_python_identifier(tmp_path):
    good = make_zip(tmp_path)
    bad = tmp_path / "good-plugin-1.2.0.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename.replace("good_plugin", "good-plugin", 1), src.read(info))
    assert checks_failed(bad) == ["folder"]


def test_two_top_folders_are_refused(tmp_path):
    assert checks_failed(make_zip(tmp_path, extra={"other/file.py": b"x"})) == ["folder"]


def test_a_zip_over_25_mb_is_refused(tmp_path):
    big = {"good_plugin/data.bin": bytes(check_package.MAX_ZIP_BYTES)}
    assert checks_failed(make_zip(tmp_path, extra=big, stored=True)) == ["size"]


def test_a_bad_crc_is_refused(tmp_path):
    path = make_zip(tmp_path, extra={"good_plugin/data.txt": b"A" * 64}, stored=True)
    raw = bytearray(path.read_bytes())
    raw[raw.index(b"A" * 64)] = ord("B")
    path.write_bytes(bytes(raw))
    assert checks_failed(path) == ["zip"]


def test_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "good_plugin-1.2.0.zip"
    path.write_bytes(b"not a zip")
    assert checks_failed(path) == ["zip"]


def test_an_author_with_a_slash_is_refused(tmp_path):
    path = make_zip(tmp_path, metadata={**GOOD_METADATA, "author": "A. Author / B. Author"})
    assert checks_failed(path) == ["metadata"]


@pytest.mark.parametrize(
    "key, url, placeholder",
    [
        ("tracker", "http://bugs", False),  # the validator's own examples
        ("repository", "http://repo", False),
        ("homepage", "http://homepage", False),
        ("tracker", "gitlab.com/someone/good_plugin/-/issues", False),  # no scheme
        ("repository", "https://", False),  # no host
        ("homepage", "http://someone.gitlab.io/good_plugin", False),  # not https
        ("repository", "https://github.com/carbon-sink-diagnostics/carbon-sink-diagnostics", True),
        ("tracker", "https://github.com/carbon-sink-diagnostics/carbon-sink-diagnostics/issues", True),
        ("homepage", "https://example.com/good_plugin", True),
        ("homepage", "https://plugin.invalid/", True),
    ],
)
def test_tracker_repository_homepage_must_be_real_https_addresses(tmp_path, key, url, placeholder):
    (problem,) = problems_of(make_zip(tmp_path, metadata={**GOOD_METADATA, key: url}))
    assert problem.check == "urls" and key in problem.message
    assert problem.placeholder is placeholder


def test_a_missing_homepage_is_refused(tmp_path):
    """Optional by name, but the validator requests it even when it is absent, and that request fails."""
    metadata = {k: v for k, v in GOOD_METADATA.items() if k != "homepage"}
    (problem,) = problems_of(make_zip(tmp_path, metadata=metadata))
    assert problem.check == "urls" and "homepage" in problem.message


@pytest.mark.parametrize(
    "email, placeholder",
    [("not-an-address", False), ("someone@localhost", False), ("x@users.noreply.github.com", True)],
)
def test_the_email_must_receive_the_confirmation(tmp_path, email, placeholder):
    (problem,) = problems_of(make_zip(tmp_path, metadata={**GOOD_METADATA, "email": email}))
    assert problem.check == "email" and problem.placeholder is placeholder


def test_supports_qt6_is_reported_as_deprecated(tmp_path):
    path = make_zip(tmp_path, metadata={**GOOD_METADATA, "supportsQt6": "True"})
    assert checks_failed(path) == ["metadata"]


@pytest.mark.parametrize(
    "extra, screenshot",
    [
        ({}, "missing.png"),  # named but not in the zip
        ({"good_plugin/shot.bmp": b"BM"}, "shot.bmp"),  # not PNG, JPEG or GIF
        ({"good_plugin/big.png": PNG_1PX + bytes(check_package.MAX_SCREENSHOT_BYTES)}, "big.png"),
    ],
)
def test_the_screenshot_must_be_a_small_image_in_the_zip(tmp_path, extra, screenshot):
    path = make_zip(tmp_path, metadata={**GOOD_METADATA, "screenshot": screenshot}, extra=extra)
    assert checks_failed(path) == ["screenshot"]


def test_a_screenshot_of_2_mib_exactly_is_accepted(tmp_path):
    data = PNG_1PX + bytes(check_package.MAX_SCREENSHOT_BYTES - len(PNG_1PX))
    path = make_zip(
        tmp_path, metadata={**GOOD_METADATA, "screenshot": "s.png"}, extra={"good_plugin/s.png": data}
    )
    assert problems_of(path) == []


@pytest.mark.parametrize(
    "member, mode",
    [("good_plugin/run.py", 0o100755), ("good_plugin/setup.sh", 0o100644), ("good_plugin/.env", 0o100644)],
)
def test_what_the_security_scan_flags_is_refused(tmp_path, member, mode):
    path = make_zip(tmp_path)
    with zipfile.ZipFile(path, "a") as zf:
        info = zipfile.ZipInfo(member)
        info.external_attr = mode << 16
        zf.writestr(info, b"x")
    assert checks_failed(path) == ["security scan"]


@pytest.mark.parametrize(
    "member", ["good_plugin/test/test_x.py", "good_plugin/scripts/x.py", "good_plugin/Makefile"]
)
def test_development_files_are_refused(tmp_path, member):
    assert checks_failed(make_zip(tmp_path, extra={member: b"x"})) == ["development files"]


def test_the_zip_is_named_after_the_version(tmp_path):
    assert checks_failed(make_zip(tmp_path, name="good_plugin-1.1.0.zip")) == ["version"]


def test_the_changelog_starts_with_the_version(tmp_path):
    metadata = {**GOOD_METADATA, "changelog": "\n1.1.0 - Better."}
    assert checks_failed(make_zip(tmp_path, metadata=metadata)) == ["changelog"]


def test_the_command_line_refuses_placeholders_unless_local(tmp_path, capsys):
    path = make_zip(tmp_path, metadata={**GOOD_METADATA, "email": "x@users.noreply.github.com"})
    assert check_package.main([str(path)]) == 1
    assert "REFUSED" in capsys.readouterr().err
    assert check_package.main(["--local", str(path)]) == 0
    assert "warning" in capsys.readouterr().err
    broken = make_zip(tmp_path, drop=["LICENSE"], name="good_plugin-1.2.0.zip")
    assert check_package.main(["--local", str(broken)]) == 1


# ---- the real zip


def _metadata():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(ROOT / "metadata.txt", encoding="utf-8")
    return dict(parser.items("general"))


def _placeholders():
    """The metadata keys that still hold a placeholder a maintainer must replace (README: Publishing)."""
    metadata = _metadata()
    keys = {k for k in check_package.URL_KEYS if check_package.is_placeholder_url(metadata.get(k, ""))}
    if check_package._email_problems(metadata):
        keys.add("email")
    return keys


def _make_package(dist, *args):
    if not shutil.which("make") or not shutil.which("git"):
        pytest.skip("make package needs make and git")
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True).returncode:
        pytest.skip("not a git checkout: make package archives HEAD")
    return subprocess.run(
        ["make", "-s", "-C", str(ROOT), "package", f"DIST={dist}", *args], capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def local_package(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    done = _make_package(dist, "LOCAL=1")
    assert done.returncode == 0, done.stdout + done.stderr
    (zip_path,) = dist.glob(f"{NAME}-*.zip")
    return zip_path


def test_the_package_passes_every_check_but_the_placeholders(local_package):
    problems = check_package.check_package(local_package)
    assert [str(p) for p in problems if not p.placeholder] == []
    flagged = {p.message.split("=", 1)[0] for p in problems if p.placeholder}
    assert flagged == _placeholders()


def test_make_package_refuses_to_build_for_publishing_while_placeholders_remain(tmp_path):
    done = _make_package(tmp_path)
    if _placeholders():
        assert done.returncode != 0
        assert "REFUSED" in done.stderr and "LOCAL=1" in done.stderr
        assert list(tmp_path.glob("*.zip")) == []  # no zip left to upload by mistake
    else:
        assert done.returncode == 0, done.stderr


def test_the_package_holds_the_license_and_names_it(local_package):
    with zipfile.ZipFile(local_package) as zf:
        license_text = zf.read(f"{NAME}/LICENSE").decode("utf-8")
        metadata = zf.read(f"{NAME}/metadata.txt").decode("utf-8")
        names = zf.namelist()
    assert "either version 2 of the License,\nor (at your option) any later version" in license_text
    assert "GNU GENERAL PUBLIC LICENSE\n                       Version 2, June 1991" in license_text
    assert "END OF TERMS AND CONDITIONS" in license_text  # the whole text, not a summary
    assert "GPL-2.0-or-later" in metadata
    assert f"{NAME}/README.md" not in names  # the developers' README stays out
    assert f"{NAME}/core/carbon/data/README.md" in names  # the sources of the editable tables stay in


def test_the_readme_says_how_to_publish():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "GPL-2.0-or-later" in readme
    section = readme.split("\n## Publishing", 1)[1].split("\n## ", 1)[0]
    for needed in ("tracker", "repository", "homepage", "email", "LOCAL=1", "make package", "screenshot"):
        assert needed in section, needed


def test_the_screenshot_is_a_png_under_2_mib():
    path = ROOT / _metadata()["screenshot"]
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert len(data) <= check_package.MAX_SCREENSHOT_BYTES
    assert width >= 800 and height >= 500  # a readable window, not a thumbnail
