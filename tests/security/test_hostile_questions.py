"""A hostile "other way to ask": a topic linking to a solved one, titled with HTML, a script,
an e-mail address and a phone number, reaches the imported article's ``questions`` as plain,
scrubbed text that the content model accepts; a hand-written question is escaped on the page.
"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from jinja2 import Environment, FileSystemLoader

from carebase.content import read_article
from carebase.importers.discourse import DiscourseSource
from carebase.importers.safety import EMAIL_LABEL, PHONE_LABEL
from carebase.importers.settings import ImportSettings
from carebase.importers.sync import sync
from carebase.project import load_project
from carebase.strings import strings_for
from tests.conftest import ProjectFactory
from tests.fakes.discourse import FakeDiscourse

REPO = Path(__file__).resolve().parents[2]
HOSTILE = (
    '<script>alert("q")</script><img src=x onerror=alert(1)> Router dead, '
    "mail jo.bloggs@example.com or ring 07700 900123 &lt;b&gt;now&lt;/b&gt;"
)


def test_a_hostile_linked_topic_title_becomes_a_plain_scrubbed_question(
    make_project: ProjectFactory,
) -> None:
    project = load_project(make_project() / "mkdocs.yml")
    with FakeDiscourse().running() as forum:
        solved = forum.add_topic("Hub keeps restarting")
        hostile = forum.add_topic(HOSTILE, accepted=None, posts=1)
        link = f'<a href="{forum.url}/t/{solved.slug}/{solved.id}">see</a>'
        forum.post(hostile.id, 1).cooked = f"<p>{link}</p>"
        source = DiscourseSource(forum.url, backoff=0.01, timeout=5.0)
        report = sync(source, project, ImportSettings(default_category="broadband"), full=True)
    assert not report.failed, report.details()

    (written,) = project.docs_dir.glob("kb/broadband/community/*.md")
    rel = written.relative_to(project.docs_dir).as_posix()
    article, problems = read_article(written, rel, project.settings)

    assert article is not None and problems == []
    (question,) = article.meta.questions
    assert "jo.bloggs@example.com" not in question and EMAIL_LABEL in question
    assert "07700" not in question and PHONE_LABEL in question
    assert not {"<", ">", '"'} & set(question)
    assert "Router dead" in question


def test_a_hand_written_question_is_escaped_on_the_page() -> None:
    env = Environment(loader=FileSystemLoader(REPO / "theme"), autoescape=False)
    article = {"questions": ['Is 5 < 6 & "free"?', "<b>bold</b"]}
    carebase = {"strings": strings_for("de"), "article": article}

    html = env.get_template("partials/carebase/also-asked.html").render(carebase=carebase)

    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(".cb-also-asked__title").get_text() == "Auch so gefragt"
    items = [li.get_text() for li in soup.select(".cb-also-asked__list li")]
    assert items == article["questions"]
    assert soup.find("b") is None
