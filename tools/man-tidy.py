#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tidies the man page swift-argument-parser's generate-manual writes, in place.

    tools/man-tidy.py MANPAGE < DUMP_HELP_JSON   (vdsogen --experimental-dump-help)

generate-manual leaves what `mandoc -T lint` warns about (several sentences on one line, blank
lines in fill mode, .Pp before .It) and prints no option defaults, which `--help` shows. This
puts each sentence on its own line, turns blank lines into one .Pp (none before .It or .El), and
appends "(default: X)" to each option's description from the tool's own declarations.
"""
import json
import os
import re
import sys


def defaults(dump):
    """{command name: {long option name: default}} from the dump-help JSON."""
    table = {}
    for cmd in dump["command"].get("subcommands", []):
        opts = {}
        for arg in cmd.get("arguments", []):
            name = (arg.get("preferredName") or {}).get("name")
            if arg.get("kind") == "option" and name and arg.get("defaultValue") not in (None, ""):
                opts[name] = arg["defaultValue"]
        table[cmd["commandName"]] = opts
    return table


SENTENCE_END = re.compile(r"([.!?]) +(?=[A-Z`(])")
OPTION_NAMES = re.compile(r"(?:^|\s)-([a-z][a-z0-9-]*)")


def tidy(lines, table):
    out = []
    command = None
    pending = None  # the default to append to the next text line
    for line in lines:
        if line.startswith(".It Em "):
            command = line[len(".It Em "):].strip()
        if line.strip() == "":
            line = ".Pp"
        if line == ".Pp" and out and (out[-1] == ".Pp" or out[-1].startswith(".Bl")):
            continue
        if line.startswith((".It", ".El")) and out and out[-1] == ".Pp":
            out.pop()
        if line.startswith(".It Fl "):
            names = OPTION_NAMES.findall(line[len(".It "):].replace("Fl ", " "))
            found = [table.get(command, {}).get(n) for n in names]
            pending = next((d for d in found if d is not None), None)
            out.append(line)
            continue
        if not line.startswith((".", "'")):
            pieces = SENTENCE_END.sub(r"\1\n", line).split("\n")
            if pending is not None and "(default" not in line:
                pieces[-1] = pieces[-1].rstrip() + " (default: %s)" % pending
            pending = None
            out.extend(pieces)
            continue
        out.append(line)
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: man-tidy.py MANPAGE < DUMP_HELP_JSON")
    table = defaults(json.load(sys.stdin))
    with open(sys.argv[1]) as f:
        lines = f.read().split("\n")
    text = "\n".join(tidy(lines, table))
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(text)
    os.replace(sys.argv[1] + ".tmp", sys.argv[1])


if __name__ == "__main__":
    main()
