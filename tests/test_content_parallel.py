"""Reading a large site's files in two processes gives the index one process gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from carebase import content
from carebase.content import load_content
from carebase.settings import ContentSettings


def _site(root: Path, count: int) -> ContentSettings:
    docs = root / "content"
    (docs / "kb" / "billing").mkdir(parents=True)
    (docs / "kb" / ".categories.yml").write_text("billing:\n  title: Billing\n", "utf-8")
    (docs / "index.md").write_text("# Home\n", "utf-8")
    for number in range(count):
        body = f"---\ndescription: Article {number}\nowner: {'nobody' if number == 7 else ''}\n"
        body += f"tags: [t{number % 5}]\n---\n# Article {number}\n\nText {number}.\n"
        (docs / "kb" / "billing" / f"a{number:03}.md").write_text(body, "utf-8")
    (docs / "kb" / "billing" / "broken.md").write_text("---\ntitle: [unclosed\n---\n", "utf-8")
    return ContentSettings(docs_dir=docs, root=root)


def _summary(index: content.ContentIndex) -> tuple[list[str], list[str], list[str]]:
    return (
        [article.path for article in index.articles],
        [str(article.meta.model_dump()) for article in index.articles],
        [f"{p.path}:{p.line}:{p.field}:{p.message}" for p in index.problems],
    )


def test_two_readers_give_the_same_index_in_the_same_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _site(tmp_path, 60)
    monkeypatch.setattr(content, "PARALLEL_READ_MIN", 10)
    forks = []
    real_fork = os.fork

    def counting_fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", counting_fork)
    two = load_content(settings, workers=2)
    assert forks == [1]
    one = load_content(settings, workers=1)
    assert forks == [1]
    assert _summary(two) == _summary(one)
    assert len(two.articles) == 60
    assert any("broken.md" in problem.path for problem in two.problems)
