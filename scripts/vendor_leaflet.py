"""Refresh the pinned copy of Leaflet that maps inline so they work offline.

Run by hand from the repository root: ``python scripts/vendor_leaflet.py``.
It fetches the package with ``npm pack``, checks its SHA-256, and writes
``kuril_teaching/_leaflet/`` (leaflet.js, leaflet.css with its images inlined
as ``data:`` URIs, LICENSE, VERSION).
"""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "1.9.3"  # the version folium 0.20 loads from its CDN
SHA256 = "10d016716b56048661eaf9cde004dc82e80bd3613b52c4f53cf5aec73088006c"
OUT = Path(__file__).resolve().parent.parent / "kuril_teaching" / "_leaflet"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"leaflet@{VERSION}"], cwd=tmp, check=True)
        tgz = Path(tmp) / f"leaflet-{VERSION}.tgz"
        digest = hashlib.sha256(tgz.read_bytes()).hexdigest()
        if digest != SHA256:
            print(f"checksum mismatch for {tgz.name}: {digest}", file=sys.stderr)
            return 1
        with tarfile.open(tgz) as tar:
            tar.extractall(tmp, filter="data")
        pkg = Path(tmp) / "package"
        js = (pkg / "dist" / "leaflet.js").read_text(encoding="utf-8")
        # The source map comment would make a browser's developer tools ask the network.
        js = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", js)
        css = (pkg / "dist" / "leaflet.css").read_text(encoding="utf-8")

        def inline(match: re.Match[str]) -> str:
            data = (pkg / "dist" / match.group(1)).read_bytes()
            return "url(data:image/png;base64," + base64.b64encode(data).decode() + ")"

        css = re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "leaflet.js").write_text(js, encoding="utf-8")
        (OUT / "leaflet.css").write_text(css, encoding="utf-8")
        (OUT / "LICENSE").write_text((pkg / "LICENSE").read_text(encoding="utf-8"), encoding="utf-8")
        (OUT / "VERSION").write_text(f"leaflet {VERSION} (npm, sha256 {SHA256})\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
