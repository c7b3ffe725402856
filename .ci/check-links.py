#!/usr/bin/env python3
"""Checks that every relative link of README.md and docs/*.md leads somewhere.

A relative Markdown link (`[text](target)`, `![alt](target)` or a reference definition
`[name]: target`) must name a file or folder that exists, relative to the document that holds it.
When it ends in `#anchor` and points to a Markdown file (or is only `#anchor`, the same document),
the anchor must be a heading of that file as GitHub makes its id: the heading's text in lower case,
without punctuation other than `-` and `_`, spaces turned into `-`, and `-1`, `-2`, ... added to
repeats; an explicit `<a name="...">` or `id="..."` counts too. Links with a scheme (`https:`,
`mailto:`, ...) are not followed, and nothing inside fenced code blocks or `code spans` counts as a
link. Exits 1, naming each broken link with its file and line, if any is broken.

Usage: python3 .ci/check-links.py   (from the repository root; touches no network)
"""
import glob
import os
import re
import sys
import urllib.parse

DOCUMENTS = ["README.md"] + sorted(glob.glob("docs/*.md"))

INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^\s)]+(?:\([^\s)]*\)[^\s)]*)*)(?:\s+[\"'(][^)]*)?\)")
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
HTML_ANCHOR = re.compile(r"<a\s[^>]*\bname=[\"']([^\"']+)[\"']|\bid=[\"']([^\"']+)[\"']")


def prose_lines(text):
    """(line number, line) of the lines outside fenced code blocks, code spans blanked out."""
    fence = None
    for number, line in enumerate(text.splitlines(), 1):
        opened = FENCE.match(line)
        if fence is None:
            if opened:
                fence = opened.group(1)
                continue
            yield number, CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        elif opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence) \
                and not line.strip().strip(fence[0]):
            fence = None


def slug(heading):
    """GitHub's id for a heading: its text as rendered, lower case, punctuation dropped, spaces to -."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)   # a link shows its text
    text = re.sub(r"<[^>]+>", "", text)                         # inline HTML shows nothing of its tags
    text = text.replace("`", "").replace("*", "")
    text = re.sub(r"(?<!\w)_+|_+(?!\w)", "", text)             # _emphasis_, not snake_case
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def anchors(path, cache={}):
    if path not in cache:
        found, seen = set(), {}
        text = open(path, encoding="utf-8").read()
        lines = text.splitlines()
        for number, line in prose_lines(text):
            for m in HTML_ANCHOR.finditer(line):
                found.add(m.group(1) or m.group(2))
            m = HEADING.match(lines[number - 1])               # the heading as written, code spans kept
            if m:
                base = slug(m.group(2))
                n = seen.get(base, 0)
                seen[base] = n + 1
                found.add(base if n == 0 else f"{base}-{n}")
        cache[path] = found
    return cache[path]


def links(path):
    for number, line in prose_lines(open(path, encoding="utf-8").read()):
        for m in INLINE_LINK.finditer(line):
            yield number, m.group(1)
        m = REFERENCE_DEFINITION.match(line)
        if m:
            yield number, m.group(1)


def problem(document, target):
    """What is wrong with one link target, or None."""
    target = target.strip("<>")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target) or target.startswith("//"):
        return None                                            # not relative: not checked here
    path_part, _, anchor = target.partition("#")
    path_part = urllib.parse.unquote(path_part)
    if path_part:
        resolved = os.path.normpath(os.path.join(os.path.dirname(document), path_part))
        if not os.path.exists(resolved):
            return f"{resolved} does not exist"
    else:
        resolved = document
    if anchor and resolved.endswith(".md") and os.path.isfile(resolved):
        if urllib.parse.unquote(anchor) not in anchors(resolved):
            return f"{resolved} has no heading with the anchor #{anchor}"
    return None


def main():
    if not os.path.exists("README.md"):
        print("check-links: run it from the repository root")
        sys.exit(2)
    broken, checked = [], 0
    for document in DOCUMENTS:
        for number, target in links(document):
            checked += 1
            why = problem(document, target)
            if why:
                broken.append(f"{document}:{number}: ({target}): {why}")
    if broken:
        print("check-links: FAILED: broken links in the documents:")
        print("\n".join(f"  {b}" for b in broken))
        sys.exit(1)
    print(f"check-links: every relative link of {', '.join(DOCUMENTS)} resolves ({checked} links)")


if __name__ == "__main__":
    main()
