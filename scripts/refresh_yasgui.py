"""Refresh the YASGUI bundle that ``kg serve`` ships (kg/static/yasgui/) from the npm registry.

    python scripts/refresh_yasgui.py [VERSION]      # default: the version in MANIFEST.json

Fetches ``@zazuko/yasgui@VERSION`` with ``npm pack`` (the ordinary client), checks the tarball
against the registry's sha512 integrity, copies the built ``yasgui.min.js`` and ``yasgui.min.css``
unchanged, and writes ``LICENSE`` and ``MANIFEST.json`` (version, tarball integrity, each file's
size and sha256). Run it by hand, never at build or run time; then run
``python -m pytest -n 1 tests/test_serve_page.py`` and commit kg/static/yasgui/.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@zazuko/yasgui"
FILES = ("yasgui.min.js", "yasgui.min.css")
DEST = Path(__file__).resolve().parent.parent / "kg" / "static" / "yasgui"
MIT = """\
MIT License

Copyright (c) {holders}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""
NOTE = """\
{name} {version}: yasgui.min.js and yasgui.min.css are the package's build/ files, unchanged.
The npm package ships no LICENSE file; its package.json declares "license": "{license}"
(author: {author}). The text below is the MIT licence that declaration names. The bundle also
contains the package's npm dependencies, each under its own licence: {deps}.

"""


def main(argv: list[str]) -> int:
    manifest_path = DEST / "MANIFEST.json"
    if len(argv) > 1:
        version = argv[1]
    else:
        version = json.loads(manifest_path.read_text(encoding="utf-8"))["version"]
    with tempfile.TemporaryDirectory() as tmp:
        packed = subprocess.run(
            ["npm", "pack", f"{PACKAGE}@{version}", "--json", "--pack-destination", tmp],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        info = json.loads(packed.stdout)[0]
        tarball = Path(tmp) / info["filename"]
        algorithm, _, expected = info["integrity"].partition("-")
        actual = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
        if actual != expected:
            print(f"integrity mismatch for {tarball.name}", file=sys.stderr)
            return 1
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp, filter="data")
        root = Path(tmp) / "package"
        meta = json.loads((root / "package.json").read_text(encoding="utf-8"))
        DEST.mkdir(parents=True, exist_ok=True)
        files = {}
        for name in FILES:
            data = (root / "build" / name).read_bytes()
            (DEST / name).write_bytes(data)
            files[name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    contributors = [c["name"] if isinstance(c, dict) else c for c in meta.get("contributors", [])]
    holders = ", ".join([meta["author"].split(" <")[0], *contributors])
    license_text = NOTE.format(
        name=meta["name"],
        version=meta["version"],
        license=meta["license"],
        author=meta["author"],
        deps=", ".join(sorted(meta.get("dependencies", {}))),
    ) + MIT.format(holders=holders)
    (DEST / "LICENSE").write_text(license_text, encoding="utf-8")
    manifest = {
        "package": meta["name"],
        "version": meta["version"],
        "license": meta["license"],
        "tarball": info["filename"],
        "integrity": info["integrity"],
        "files": files,
    }
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"{meta['name']} {meta['version']} -> {DEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
