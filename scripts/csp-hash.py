#!/usr/bin/env python3
"""Trunk post-build hook: allow trunk's inline module loader by its SHA-256
hash in the page's Content-Security-Policy, so the CSP needs neither
'unsafe-inline' nor a nonce. Any other inline script stays blocked."""
import base64
import hashlib
import os
import re
import sys

path = os.path.join(os.environ.get("TRUNK_STAGING_DIR", "dist"), "index.html")
html = open(path, encoding="utf-8").read()
scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
if not scripts:
    sys.exit(f"csp-hash: no inline script in {path}")
hashes = " ".join(
    "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'" for s in scripts
)
new, n = re.subn(r"(script-src 'self')", r"\1 " + hashes, html, count=1)
if n != 1:
    sys.exit(f"csp-hash: no \"script-src 'self'\" in the CSP of {path}")
open(path, "w", encoding="utf-8").write(new)
