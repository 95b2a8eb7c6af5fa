"""The ``kg serve`` page: bundle size, and time until the editor is ready in headless Chromium.

    python bench/serve_page.py [--loads N]

Starts ``kg serve`` on loopback, opens the page N times in fresh tabs of one Chromium (the first
load fetches every file; later ones revalidate the page and reuse the digest-named files), and
prints the median time to the page's ``kg-ready`` mark (YASGUI built, the editor on show) and
to the first query's rows, beside the bundle's size raw and gzipped.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

ROWS = "kgYasgui.getTab().getYasr().rootEl.querySelectorAll('tbody tr').length"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()

    import _chromium
    from test_serve import start, stop

    from kg.serve import HOST
    from kg.serve_page import STATIC, asset

    total = sum(len(a.body) for n in STATIC if (a := asset(n)) is not None)
    zipped = sum(len(gzip.compress(a.body, 6)) for n in STATIC if (a := asset(n)) is not None)
    print(f"static files: {total / 1e6:.2f} MB ({zipped / 1e6:.2f} MB gzipped)")

    _chromium.FLAGS = [
        f"{f}, EXCLUDE {HOST}" if f.startswith("--host-resolver-rules=") else f
        for f in _chromium.FLAGS
    ]
    proc, port = start("--max-rows", "100")
    url = f"http://{HOST}:{port}/"
    browser = _chromium.Browser()
    ready, rows, outside = [], [], 0
    try:
        with tempfile.TemporaryDirectory() as tmp:
            blank = Path(tmp) / "blank.html"
            blank.write_text("<!doctype html><title>blank</title>", encoding="utf-8")
            for _ in range(args.loads):
                tab = browser.open(blank)
                tab.send("Page.navigate", url=url)
                tab.wait_for("document.body && document.body.dataset.ready === '1'", 120)
                ready.append(tab.evaluate("performance.getEntriesByName('kg-ready')[0].startTime"))
                t = time.perf_counter()
                tab.evaluate("kgYasgui.getTab().query()")
                tab.wait_for(ROWS, 60)
                rows.append((time.perf_counter() - t) * 1000)
                outside += sum(not u.startswith((url, "file:", "about:")) for u in tab.requests)
                tab.close()
    finally:
        browser.quit()
        stop(proc)
    print(
        f"editor ready: first load {ready[0]:.0f} ms, median of {len(ready)} "
        f"{statistics.median(ready):.0f} ms (from navigation start)"
    )
    print(f"first query's rows on show: median {statistics.median(rows):.0f} ms")
    print(f"requests outside the server's origin: {outside}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
