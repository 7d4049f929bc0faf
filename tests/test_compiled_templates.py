"""Theme templates are compiled once per build, not once per language pass."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment, TemplateSyntaxError

from carebase_mkdocs.compiled import share_compiled_templates


@pytest.fixture
def compilations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the templates Jinja compiles from source while the test runs."""
    seen: list[str] = []
    compile_source = Environment.compile

    def counting(self: Environment, source: str, name: str | None = None, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(str(name))
        return compile_source(self, source, name, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", counting)
    return seen


def environment(templates: dict[str, str], **options: object) -> Environment:
    env = Environment(loader=DictLoader(templates), **options)  # type: ignore[arg-type]
    share_compiled_templates(env)
    return env


def test_a_second_pass_reuses_the_first_pass_compiled_templates(compilations: list[str]) -> None:
    templates = {"main.html": "Hello {{ name }}, {% include 'part.html' %}", "part.html": "bye"}
    first = environment(templates).get_template("main.html").render(name="en")
    second = environment(templates).get_template("main.html").render(name="es")
    assert (first, second) == ("Hello en, bye", "Hello es, bye")
    assert sorted(compilations) == ["main.html", "part.html"]


def test_an_edited_template_is_compiled_again(compilations: list[str]) -> None:
    environment({"main.html": "old {{ x }}"}).get_template("main.html").render(x=1)
    edited = environment({"main.html": "new {{ x }}"}).get_template("main.html").render(x=2)
    assert edited == "new 2"
    assert compilations == ["main.html", "main.html"]


def test_environments_that_compile_differently_do_not_share(compilations: list[str]) -> None:
    loop = "{% for i in [1, 2, 3] %}{% if i == 2 %}{% break %}{% endif %}{{ i }}{% endfor %}"
    looped = environment({"main.html": loop}, extensions=["jinja2.ext.loopcontrols"])
    assert looped.get_template("main.html").render() == "1"
    with pytest.raises(TemplateSyntaxError):
        environment({"main.html": loop}).get_template("main.html")
    plain = environment({"main.html": "<{{ x }}>"})
    assert plain.get_template("main.html").render(x="&") == "<&>"
    escaping = environment({"main.html": "<{{ x }}>"}, autoescape=True)
    assert escaping.get_template("main.html").render(x="&") == "<&amp;>"
    assert len(compilations) == 4
