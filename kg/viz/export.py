"""Static pictures for print: the page's SVG as a PNG, drawn by headless Chromium (Debian's).

Chromium opens the SVG file from a temporary folder with every host name unresolvable, takes a
screenshot at the picture's own size and exits; it is given :data:`TIMEOUT` seconds.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from kg.errors import KGError

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT = 60
SCALE = 2  # device pixels per SVG pixel: sharp in print


def chromium() -> str:
    """The path of a Chromium executable, or a :class:`KGError` saying how to get one."""
    for name in CHROMIUM:
        found = shutil.which(name)
        if found:
            return found
    raise KGError("PNG export needs Chromium (apt-get install chromium); SVG export does not")


def png(svg: str) -> bytes:
    """The PNG of a standalone SVG picture (``Page.svg``), at :data:`SCALE` times its size."""
    size = re.search(r'<svg [^>]*width="([\d.]+)" height="([\d.]+)"', svg)
    if size is None:
        raise KGError("the SVG has no width and height")
    width, height = (int(float(v) + 0.999) for v in size.groups())
    with tempfile.TemporaryDirectory(prefix="kg-png-") as tmp:
        folder = Path(tmp)
        (folder / "picture.svg").write_text(svg, encoding="utf-8")
        out = folder / "picture.png"
        command = [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={folder / 'profile'}",
            f"--force-device-scale-factor={SCALE}",
            f"--window-size={width},{height}",
            f"--screenshot={out}",
            (folder / "picture.svg").as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired as error:
            raise KGError(f"Chromium did not finish the PNG within {TIMEOUT} s") from error
        if not out.is_file() or out.stat().st_size == 0:
            raise KGError("Chromium wrote no PNG")
        return out.read_bytes()
