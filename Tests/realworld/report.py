#!/usr/bin/env python3
"""Turns the results run.sh collected into its one line per image, the closing count, and
optionally a Markdown table and a list of every error, grouped by rule.

Usage: report.py --cache DIR --results DIR --count N [--table FILE] [--findings FILE]
Exit status: 0 every image passed under the linux profile, 1 some image failed, 2 no image.
"""
import argparse
import json
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import elfinfo  # noqa: E402


def load(results, i, profile):
    """Returns (verdict, findings, diagnostics) of one image under one profile."""
    base = os.path.join(results, f"{i}.{profile}")
    with open(base + ".rc") as f:
        rc = int(f.read().strip() or "2")
    with open(base + ".err", errors="replace") as f:
        err = f.read().strip()
    findings = []
    try:
        with open(base + ".json") as f:
            for image in json.load(f):
                findings.extend(image.get("findings", []))
    except (OSError, ValueError):
        pass
    if rc == 0:
        verdict = "PASS"
    elif rc == 1:
        verdict = "FAIL"
    elif rc >= 128:
        verdict = f"CRASH (signal {rc - 128})"
    else:
        verdict = f"ERROR (exit {rc})"
    return verdict, findings, err


def describe(cache, path):
    """Returns (producer, version, arch, short path) of an image in the cache."""
    rel = os.path.relpath(path, os.path.join(cache, "images"))
    parts = rel.split(os.sep)
    producer = parts[0] if len(parts) > 2 else "?"
    version = parts[1] if len(parts) > 2 else "?"
    vfile = os.path.join(os.path.dirname(path), ".version")
    if os.path.exists(vfile):
        with open(vfile) as f:
            version = f.read().strip() or version
    try:
        with open(path, "rb") as f:
            arch = elfinfo.arch(f.read(64))
    except (OSError, ValueError):
        arch = "?"
    return producer, version, arch, rel


def count(findings, severity):
    return sum(1 for f in findings if f.get("severity") == severity)


def plural(n, word):
    return f"{n} {word}" + ("" if n == 1 else "s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--table")
    ap.add_argument("--findings")
    args = ap.parse_args()

    rows = []
    for i in range(1, args.count + 1):
        meta = os.path.join(args.results, f"{i}.image")
        if not os.path.exists(meta):
            continue
        with open(meta) as f:
            path, form, flags = f.read().rstrip("\n").split("\t")
        producer, version, arch, rel = describe(args.cache, path)
        linux = load(args.results, i, "linux")
        strict = load(args.results, i, "strict")
        rows.append(dict(path=path, rel=rel, producer=producer, version=version, arch=arch,
                         form=form, flags=flags, linux=linux, strict=strict))
    if not rows:
        print("report: no image was checked", file=sys.stderr)
        return 2

    passed = 0
    for r in rows:
        verdict, findings, _ = r["linux"]
        sverdict, sfindings, _ = r["strict"]
        passed += verdict == "PASS"
        print(f"{verdict:<6} {r['producer']:<8} {r['version']:<22} {r['arch']:<11} "
              f"{r['rel']:<46} {r['form']:<13} "
              f"{plural(count(findings, 'error'), 'error')}, "
              f"{plural(count(findings, 'warning'), 'warning')}"
              f"  [strict: {plural(count(sfindings, 'error'), 'error')}, "
              f"{plural(count(sfindings, 'warning'), 'warning')}]")
    failed = len(rows) - passed

    if args.table:
        write_table(args.table, rows)
    if args.findings:
        write_findings(args.findings, rows)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def write_table(path, rows):
    """The results as a Markdown table."""
    with open(path, "w") as out:
        out.write("| producer | version | arch | image | form | `--profile linux` | errors "
                  "| warnings | strict errors | strict warnings |\n")
        out.write("| --- | --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: |\n")
        for r in rows:
            verdict, findings, _ = r["linux"]
            _, sfindings, _ = r["strict"]
            name = r["rel"].split(os.sep, 1)[-1]
            out.write(f"| {r['producer']} | {r['version']} | {r['arch']} | `{name}` | {r['form']} "
                      f"| {verdict} "
                      f"| {count(findings, 'error')} | {count(findings, 'warning')} "
                      f"| {count(sfindings, 'error')} | {count(sfindings, 'warning')} |\n")


def group(rows, profile, severity):
    """rule -> [(image path, message)] for the findings of one severity under one profile."""
    by_rule = defaultdict(list)
    for r in rows:
        verdict, findings, err = r[profile]
        if verdict.startswith(("CRASH", "ERROR")):
            by_rule["(tool did not finish)"].append((r["path"], f"{verdict}: {err[-400:]}"))
        for f in findings:
            if f.get("severity") == severity:
                by_rule[f.get("rule", "?")].append((r["path"], f.get("message", "")))
    return by_rule


def write_findings(path, rows):
    """Every error of every image that fails the linux profile, grouped by rule, verbatim."""
    failing = [r for r in rows if r["linux"][0] != "PASS"]
    with open(path, "w") as out:
        out.write("# Real-world images: findings under `vdsogen check --profile linux`\n\n")
        passed = len(rows) - len(failing)
        out.write(f"{passed} passed, {len(failing)} failed, of {len(rows)} images.\n\n")
        out.write("Failing images:\n\n")
        for r in failing:
            _, findings, _ = r["linux"]
            out.write(f"- `{r['path']}` ({r['producer']} {r['version']} {r['arch']}, {r['form']}; "
                      f"flags: {r['flags'] or 'none'}): {r['linux'][0]}, "
                      f"{plural(count(findings, 'error'), 'error')}\n")
        out.write("\n## Errors, by rule\n")
        for rule, items in sorted(group(failing, "linux", "error").items()):
            out.write(f"\n### {rule} ({len(items)})\n\n")
            for image, message in items:
                out.write(f"- `{image}`\n  `error[{rule}]: {message}`\n")
        out.write("\n## Warnings under the linux profile (all images, informational)\n")
        for rule, items in sorted(group(rows, "linux", "warning").items()):
            out.write(f"\n### {rule} ({len(items)})\n\n")
            for image, message in items:
                out.write(f"- `{image}`: {message}\n")
        out.write("\n## Strict-profile errors (all images, informational)\n")
        for rule, items in sorted(group(rows, "strict", "error").items()):
            out.write(f"\n### {rule} ({len(items)})\n\n")
            for image, message in items:
                out.write(f"- `{image}`: {message}\n")


if __name__ == "__main__":
    sys.exit(main())
