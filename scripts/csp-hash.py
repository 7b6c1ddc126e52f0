#!/usr/bin/env python3
"""Trunk post-build hook: allow trunk's inline module loader, and nothing
else, by its SHA-256 hash in the page's Content-Security-Policy, so the CSP
needs neither 'unsafe-inline' nor a nonce.

The loader is recognised by what it does: a <script type="module"> that
imports wasm-bindgen's glue from this build, awaits its init with this build's
wasm, and announces the start. Any other inline script, inline event handler
(on...= attribute) or javascript: URL fails the build, naming what it found:
allowing it by hash would let it run in the page that holds the admin's token.
"""
import base64
import hashlib
import html.parser
import os
import re
import sys

# The loader as trunk writes it (src/pipelines/rust/output.rs), after the HTML
# minifier: whitespace may go, the quotes may change, `wasm` may be renamed.
NAME = r"[A-Za-z0-9_.-]+"
LOADER = re.compile(
    r"""\s*import\s*init\s*(?:,\s*\*\s*as\s+(?P<b>[\w$]+)\s*)?from\s*(?P<q1>['"])\./(?P<js>NAME\.js)(?P=q1)\s*;?
        \s*const\s+(?P<w>[\w$]+)\s*=\s*await\s+init\s*\(\s*
            (?:\{\s*module_or_path\s*:\s*(?P<q2>['"])\./(?P<wasm>NAME_bg\.wasm)(?P=q2)\s*\}
              |(?P<q3>['"])\./(?P<wasm_arg>NAME_bg\.wasm)(?P=q3))\s*\)\s*;?
        (?:\s*window\.wasmBindings\s*=\s*(?P=b)\s*;?)?
        \s*dispatchEvent\s*\(\s*new\s+CustomEvent\s*\(\s*(?P<q4>['"])TrunkApplicationStarted(?P=q4)\s*,
        \s*\{\s*detail\s*:\s*\{\s*wasm\s*(?::\s*(?P=w)\s*)?\}\s*\}\s*\)\s*\)\s*;?\s*""".replace("NAME", NAME),
    re.X,
)


class Page(html.parser.HTMLParser):
    """Every inline script (with its exact text, as the browser hashes it),
    every on...= attribute and every javascript: URL in the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inline = []  # (line, type attribute, text)
        self.problems = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"line {line}: inline event handler <{tag} {name}=...>")
            # Browsers drop ASCII whitespace and controls from URLs before
            # reading the scheme, so " java\tscript:" still runs.
            squeezed = "".join(c for c in (value or "") if ord(c) > 0x20).lower()
            if squeezed.startswith("javascript:"):
                self.problems.append(f"line {line}: javascript: URL in <{tag} {name}=...>")
        if tag == "script" and not any(n == "src" for n, _ in attrs):
            kind = next((v or "" for n, v in attrs if n == "type"), "")
            self._script = (line, kind.strip().lower(), [])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script[2].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            line, kind, parts = self._script
            self.inline.append((line, kind, "".join(parts)))
            self._script = None


def snippet(text):
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= 120 else one_line[:117] + "..."


def main():
    staging = os.environ.get("TRUNK_STAGING_DIR", "dist")
    path = os.path.join(staging, "index.html")
    page_text = open(path, encoding="utf-8").read()
    page = Page()
    page.feed(page_text)
    page.close()

    loaders, problems = [], list(page.problems)
    for line, kind, text in page.inline:
        m = LOADER.fullmatch(text) if kind == "module" else None
        wanted = [m["js"], m["wasm"] or m["wasm_arg"]] if m else []
        missing = [f for f in wanted if not os.path.isfile(os.path.join(staging, f))]
        if m and not missing:
            loaders.append(text)
        elif m:
            problems.append(f"line {line}: the loader imports {', '.join(missing)}, which this build does not have")
        else:
            problems.append(f"line {line}: inline <script{' type=' + kind if kind else ''}> that is not trunk's loader: {snippet(text)}")
    if not loaders and not problems:
        problems.append("no inline loader script (did trunk's output change?)")
    if len(loaders) > 1:
        problems.append(f"{len(loaders)} copies of trunk's loader; expected one")
    if problems:
        sys.exit(f"csp-hash: {path} must not run any inline code but trunk's loader:\n  " + "\n  ".join(problems))

    digest = base64.b64encode(hashlib.sha256(loaders[0].encode("utf-8")).digest()).decode()
    # Replace any hash an earlier run added, so running the hook twice gives the same page.
    new, n = re.subn(r"script-src 'self'(?: 'sha256-[A-Za-z0-9+/=]+')*", f"script-src 'self' 'sha256-{digest}'", page_text)
    if n != 1:
        sys.exit(f"csp-hash: expected one \"script-src 'self'\" in the CSP of {path}, found {n}")
    open(path, "w", encoding="utf-8").write(new)


main()
