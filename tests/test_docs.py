"""The project carries its own documentation: every document a file names is in the repository."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[1]
# A document named in a comment, docstring or page: README.md, CODES.md, docs/signals.md, (../docs/taxonomy.md).
NAMED = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w-]+\.md)\b")
# Data kept verbatim as the reporting standard publishes it (one of its cells names the standard's own text).
NOT_SCANNED = {"taxonomies/model/concepts.csv"}


def _tracked() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    return [name for name in listed if (ROOT / name).is_file()]


def missing_documents(files: dict[str, str], present: set[str]) -> dict[str, set[str]]:
    """Per file, the .md documents it names that are not in `present` (paths relative to the root);
    a name is looked up beside the file, from the root, and by its file name anywhere."""
    names = {Path(p).name for p in present}
    result = {}
    for path, text in files.items():
        gone = {named for named in NAMED.findall(text)
                if not {os.path.normpath(os.path.join(os.path.dirname(path), named)), named} & present
                and Path(named).name not in names}
        if gone:
            result[path] = gone
    return result


def test_every_named_document_is_in_the_repository() -> None:
    tracked = _tracked()
    texts = {}
    for name in tracked:
        if name in NOT_SCANNED or not name.endswith((".py", ".md", ".toml", ".csv", ".html", ".txt", ".cfg", ".ini")):
            continue
        texts[name] = (ROOT / name).read_text(encoding="utf-8", errors="replace")
    assert texts and "README.md" in tracked
    present = {name for name in tracked if name.endswith(".md")}
    assert missing_documents(texts, present) == {}


def test_a_document_that_is_not_here_is_found() -> None:
    # The missing name is put together here, so this file itself names no document that is not here.
    gone = "NOWHERE" + ".md"
    present = {"README.md", "docs/signals.md"}
    files = {"validators/a.py": '"""See docs/signals.md and README.md."""',
             "validators/b.py": f"# the published {gone} contract",
             "docs/c.html": "[taxonomy](taxonomy.md), [signals](signals.md)"}
    assert missing_documents(files, present) == {"validators/b.py": {gone}, "docs/c.html": {"taxonomy.md"}}
