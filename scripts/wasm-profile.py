#!/usr/bin/env python3
"""Where the wasm's bytes go: reads `twiggy top -f csv` of the app's wasm as cargo built it (before
wasm-bindgen and wasm-opt, so it still has function names) and prints the 25 largest functions and
the bytes per crate. Custom sections (names, bindgen metadata) are left out: they never ship. Shares are of the code before wasm-opt; the shipped file is smaller."""
import csv
import re
import sys
from collections import Counter

rows = list(csv.DictReader(sys.stdin))
# Left out: custom sections (names, bindgen metadata) and wasm-bindgen's describe exports, which
# wasm-bindgen removes before anything ships.
code = [
    r
    for r in rows
    if not r["Name"].startswith(("custom section", "export "))
    and "subsection" not in r["Name"]
    and "__wbindgen_describe" not in r["Name"]
]
total = sum(int(r["ShallowSize"]) for r in code)


def unhashed(name: str) -> str:
    """`paxoscope[6370ce4e14afc678]::ui` as `paxoscope::ui`: with the standard library rebuilt
    (scripts/setup.sh, app_trunk) symbol names carry each crate's disambiguator."""
    return re.sub(r"\[[0-9a-f]{16}\]", "", name)


def crate(name: str) -> str:
    if name.startswith('data segment'):
        return "data (strings and tables)"
    # `<a::b as c::d>::f` belongs to the implementing type's crate; generic shims to their own.
    m = re.match(r"<?\s*(?:&|&mut |dyn )?([A-Za-z_][A-Za-z0-9_]*)", name)
    c = m.group(1) if m else "?"
    c = re.sub(r"\[[0-9a-f]+\]$", "", c)
    return c if c not in ("", "impl") else "?"


by_crate = Counter()
for r in code:
    by_crate[crate(r["Name"])] += int(r["ShallowSize"])
print(f"  code and data before wasm-opt: {total} bytes")
print("  top 25 functions and data:")
for r in sorted(code, key=lambda r: -int(r["ShallowSize"]))[:25]:
    name = re.sub(r"::h[0-9a-f]{16}$", "", unhashed(r["Name"]))
    print(f"    {int(r['ShallowSize']):8d}  {name[:110]}")
print("  by crate:")
for c, n in by_crate.most_common(25):
    print(f"    {n:8d}  {100 * n / total:5.1f}%  {c}")

by_module = Counter()
for r in code:
    m = re.search(r"paxoscope::((?:[a-z_]+::){1,2})", unhashed(r["Name"]))
    if m and crate(r["Name"]) == "paxoscope":
        by_module[m.group(1).rstrip(":")] += int(r["ShallowSize"])
print("  paxoscope by module:")
for c, n in by_module.most_common(15):
    print(f"    {n:8d}  {c}")
