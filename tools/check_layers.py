#!/usr/bin/python3
"""Fails when a library links, or a source includes, what docs/development.md does not allow.

The table under "## Layout" in docs/development.md is the single source of truth. Each row names
a folder and its library target (`rebook::x`); its last column lists, in backticks, the project
libraries that library may link directly (`*` means any). This script reads that table, the
direct link libraries of every `rebook_library` (CMake writes them to <build>/layers.json) and
every tracked C++ file, and reports:
  - a project library that has no row;
  - a project library whose direct link dependency its row does not list;
  - a source file outside tests/, bench/ and testing/ folders, not a *_test.cc, that includes a
    header from a folder whose libraries its own folder's libraries may not link.
A folder may always include its own headers.

    /usr/bin/python3 tools/check_layers.py build/release    # exit 0: clean; 1: violations
"""
import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "development.md"
ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|\s*`rebook::([a-z0-9_]+)`\s*\|(.*)\|\s*$")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
# Generated API code is included by its proto path; it belongs to the proto folder.
GENERATED_PREFIXES = ("rebook/v1/", "google/rpc/", "grpc/health/")


class Row:
    def __init__(self, folder, allowed):
        self.folder = folder
        self.allowed = allowed  # library names without "rebook_", or {"*"}


def read_table():
    """Returns {library name: Row} from the Layout table."""
    rows, in_layout = {}, False
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            in_layout = line.strip() == "## Layout"
            continue
        m = ROW.match(line) if in_layout else None
        if not m:
            continue
        last_column = m.group(3).split("|")[-1]
        allowed = {a.removeprefix("rebook::") for a in re.findall(r"`([^`]+)`", last_column)}
        rows[m.group(2)] = Row(m.group(1).rstrip("/"), allowed)
    if not rows:
        sys.exit(f"check_layers: no Layout table found in {DOC}")
    return rows


def load_libraries(build):
    """Returns {library name: (folder, [direct project library deps])} from CMake's layers.json."""
    model_file = build / "layers.json"
    if not model_file.exists():
        sys.exit(f"check_layers: {model_file} is missing; configure the build folder first")
    model = json.loads(model_file.read_text())
    return {name.removeprefix("rebook_"): (lib["folder"],
                                           [d.removeprefix("rebook::") for d in lib["links"]])
            for name, lib in model.items()}


def check_links(rows, libraries, errors):
    for name, (folder, deps) in sorted(libraries.items()):
        row = rows.get(name)
        if row is None:
            errors.append(f"{folder}: library rebook::{name} has no row in {DOC.name}")
            continue
        if row.folder != folder:
            errors.append(f"rebook::{name} lives in {folder}, its row says {row.folder}")
        for dep in deps:
            if "*" not in row.allowed and dep not in row.allowed:
                errors.append(f"rebook::{name} links rebook::{dep}, which its row does not list")


def folder_of(path, folders):
    """The longest table folder that `path` lies in, or None."""
    best = None
    for f in folders:
        if (path == f or path.startswith(f + "/")) and (best is None or len(f) > len(best)):
            best = f
    return best


def check_includes(rows, errors):
    folders = {r.folder for r in rows.values()}
    may_use = {}  # folder -> folders its libraries may link, or None for any
    for row in rows.values():
        if "*" in row.allowed:
            may_use[row.folder] = None
        elif may_use.get(row.folder, set()) is not None:
            used = {rows[a].folder for a in row.allowed if a in rows}
            may_use[row.folder] = may_use.get(row.folder, set()) | used
    files = subprocess.run(["git", "ls-files", "*.h", "*.cc"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    for f in files:
        if f.endswith("_test.cc") or "/testing/" in f or f.startswith(("tests/", "bench/")):
            continue
        folder = folder_of(str(pathlib.PurePosixPath(f).parent), folders)
        if folder is None or may_use.get(folder) is None:
            continue
        for n, line in enumerate((ROOT / f).read_text(encoding="utf-8").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            inc = m.group(1)
            dep = "proto" if inc.startswith(GENERATED_PREFIXES) else folder_of(
                str(pathlib.PurePosixPath(inc).parent), folders)
            if dep and dep != folder and dep not in may_use[folder]:
                errors.append(f"{f}:{n}: includes \"{inc}\" from {dep}, which {folder} may not use")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    rows = read_table()
    errors = []
    check_links(rows, load_libraries(pathlib.Path(sys.argv[1]).resolve()), errors)
    check_includes(rows, errors)
    for e in errors:
        print(f"check_layers: {e}", file=sys.stderr)
    if errors:
        print(f"check_layers: {len(errors)} violation(s) of the Layout table in {DOC}",
              file=sys.stderr)
        return 1
    print(f"check_layers: {len(rows)} libraries; every link and include follows the table")
    return 0


if __name__ == "__main__":
    sys.exit(main())
