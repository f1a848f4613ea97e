"""Every Markdown link in README.md and docs/ resolves inside the repository."""

import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

FENCE = re.compile(r"^(```|~~~)")
INLINE_CODE = re.compile(r"`[^`\n]*`")
# [text](target) or ![alt](target), with an optional "title"; [text]: target for reference links.
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # http:, https:, mailto:...


def prose_lines(path: Path) -> list[tuple[int, str]]:
    """The lines of a Markdown file outside fenced code blocks, numbered from 1."""
    lines, fenced = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if FENCE.match(line.lstrip()):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((number, line))
    return lines


def links(path: Path) -> list[tuple[int, str]]:
    """(line, target) of every link in a Markdown file, code spans and blocks left out."""
    found = []
    for number, line in prose_lines(path):
        text = INLINE_CODE.sub("", line)
        found += [(number, m.group(1)) for m in INLINE_LINK.finditer(text)]
        ref = REF_DEF.match(text)
        if ref:
            found.append((number, ref.group(1)))
    return found


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = INLINE_CODE.sub(lambda m: m.group(0)[1:-1], heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors GitHub makes for the headings of a Markdown file (duplicates numbered)."""
    seen: dict[str, int] = {}
    result = set()
    for _, line in prose_lines(path):
        m = HEADING.match(line)
        if not m:
            continue
        base = slug(m.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


@cache
def ignored_by_git(relative: str) -> bool:
    """Whether git ignores a path, so a fresh clone would lack it (False outside a git checkout)."""
    if not shutil.which("git"):
        return False
    run = subprocess.run(["git", "check-ignore", "-q", relative], cwd=ROOT, capture_output=True, check=False)
    return run.returncode == 0


def problem(source: Path, target: str) -> str | None:
    """Why a relative link does not resolve inside the repository, or None when it does."""
    path_part, _, anchor = target.partition("#")
    # Normalised, not resolved: "../<this folder's name>/x" leaves a clone under another name.
    inside = os.path.normpath(os.path.join(source.parent.relative_to(ROOT), path_part))
    if os.path.isabs(path_part) or inside == ".." or inside.startswith(".." + os.sep):
        return "leaves the repository"
    resolved = ROOT / inside if path_part else source
    if not resolved.exists():
        return "points at a missing file"
    if path_part and ignored_by_git(inside):
        return "points at a file git ignores (a fresh clone lacks it)"
    if anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
        return f"no heading with anchor #{anchor} in {resolved.relative_to(ROOT)}"
    return None


ALL_LINKS = [(doc, line, target) for doc in DOCS for line, target in links(doc)]


def test_docs_are_found() -> None:
    assert ROOT / "README.md" in DOCS
    assert ROOT / "docs" / "spec.md" in DOCS
    assert len(ALL_LINKS) > 10


@pytest.mark.parametrize(
    ("doc", "line", "target"),
    [link for link in ALL_LINKS if not EXTERNAL.match(link[2])],
    ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else str(v),
)
def test_relative_link_resolves_inside_repo(doc: Path, line: int, target: str) -> None:
    reason = problem(doc, target)
    assert reason is None, f"{doc.relative_to(ROOT)}:{line}: link {target!r} {reason}"


def test_external_links_are_listed() -> None:
    """No web link is needed: the docs stand alone. A new one must be added here on purpose."""
    external = sorted(f"{doc.relative_to(ROOT)}:{line}: {target}" for doc, line, target in ALL_LINKS
                      if EXTERNAL.match(target))
    allowed: list[str] = []
    assert external == allowed


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("see [spec](docs/spec.md) and ![pic](a.png)", ["docs/spec.md", "a.png"]),
        ('[x](docs/spec.md#3-checks "title")', ["docs/spec.md#3-checks"]),
        ("`[not](a link)` but [yes](README.md)", ["README.md"]),
        ("[ref]: ../shared/SPEC.md", ["../shared/SPEC.md"]),
        ("```\n[in code](nowhere.md)\n```\n[after](README.md)", ["README.md"]),
    ],
)
def test_links_are_parsed(tmp_path: Path, markdown: str, expected: list[str]) -> None:
    page = tmp_path / "page.md"
    page.write_text(markdown, encoding="utf-8")
    assert [target for _, target in links(page)] == expected


def test_bad_links_are_caught(tmp_path: Path) -> None:
    readme = ROOT / "README.md"
    assert problem(readme, "../shared/SPEC.md") == "leaves the repository"
    assert problem(readme, f"../{ROOT.name}/README.md") == "leaves the repository"
    assert problem(readme, "/etc/hostname") == "leaves the repository"
    assert problem(readme, "docs/nope.md") == "points at a missing file"
    if shutil.which("git") and (ROOT / ".git").exists():
        assert ignored_by_git("reports/sample.xlsx")
        assert not ignored_by_git("docs/spec.md")
    assert problem(readme, "#no-such-heading") == "no heading with anchor #no-such-heading in README.md"
    assert problem(readme, "docs/spec.md#3-checks") is None
    assert problem(readme, "#exit-codes") is None


def test_slug_follows_github() -> None:
    assert slug("3. Checks") == "3-checks"
    assert slug("Transfer to Elektrinet / ICONNET (SOP effective 2023-07-26)") == (
        "transfer-to-elektrinet--iconnet-sop-effective-2023-07-26"
    )
    assert slug("`closing.order` and more") == "closingorder-and-more"
