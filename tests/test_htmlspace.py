"""Indentation is removed from pages, and whitespace that shows is kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from carebase.htmlspace import strip_indentation


def test_indentation_and_blank_lines_go():
    html = "<div>\n    <p>One</p>\n\n      <p>Two</p>\n  </div>\n"
    assert strip_indentation(html) == "<div>\n<p>One</p>\n<p>Two</p>\n</div>\n"


def test_preformatted_text_textareas_and_scripts_are_kept_as_written():
    code = "<pre><code>def f():\n    return 1\n\n    # indented\n</code></pre>"
    area = "<textarea>\n   keep\n</textarea>"
    script = "<script>const s = `a\n    b`;</script>"
    html = f"<div>\n  {code}\n  {area}\n  {script}\n</div>"
    assert strip_indentation(html) == f"<div>\n{code}\n{area}\n{script}\n</div>"


def test_uppercase_and_attributes_on_kept_elements():
    html = '<PRE class="x">\n  a\n</PRE >\n   <p>b</p>'
    assert strip_indentation(html) == '<PRE class="x">\n  a\n</PRE >\n<p>b</p>'


@given(st.text(alphabet=" \t\nab", max_size=80))
def test_text_reads_the_same_once_whitespace_collapses(text):
    compact = strip_indentation(text)
    # Browsers collapse every run of whitespace to one space: the words stay the same...
    assert compact.split() == text.split()
    # ...a line break stays wherever there was one, and nothing is added.
    assert ("\n" in compact) == ("\n" in text)
    assert len(compact) <= len(text)


@given(st.text(alphabet=" \t\nab", max_size=40), st.text(alphabet=" \t\nab", max_size=40))
def test_preformatted_text_survives_whatever_surrounds_it(before, inside):
    html = f"{before}<pre>{inside}</pre>{before}"
    assert f"<pre>{inside}</pre>" in strip_indentation(html)
