#!/usr/bin/env python3
"""Trunk post-build hook (release builds only): minify wasm-bindgen's JS glue
with esbuild, because trunk's own minifier fails on it and ships it as is,
then update the file's Subresource Integrity hash in index.html so the
browser still accepts it. Runs before csp-hash.py."""
import base64
import glob
import hashlib
import os
import re
import subprocess
import sys

if os.environ.get("TRUNK_PROFILE") != "release":
    sys.exit(0)
staging = os.environ.get("TRUNK_STAGING_DIR", "dist")
esbuild = os.path.join(os.environ.get("TRUNK_SOURCE_DIR", "."), "node_modules", ".bin", "esbuild")
index = os.path.join(staging, "index.html")
html = open(index, encoding="utf-8").read()
scripts = [p for p in glob.glob(os.path.join(staging, "*.js"))]
if not scripts:
    sys.exit(f"minify-js: no JS file in {staging}")
for path in scripts:
    name = os.path.basename(path)
    # ESM in, ESM out: the loader imports the module's default and named exports.
    subprocess.run([esbuild, path, "--minify", "--format=esm", "--log-level=warning",
                    "--allow-overwrite", f"--outfile={path}"], check=True)
    digest = base64.b64encode(hashlib.sha384(open(path, "rb").read()).digest()).decode()
    # The <link> that preloads this file carries its integrity hash.
    pattern = r"(<link[^>]*\./" + re.escape(name) + r"[^>]*integrity=[\"']?)sha384-[A-Za-z0-9+/=]+"
    html, n = re.subn(pattern, r"\g<1>sha384-" + digest, html)
    if n != 1:
        sys.exit(f"minify-js: expected one integrity attribute for {name} in {index}, found {n}")
open(index, "w", encoding="utf-8").write(html)
