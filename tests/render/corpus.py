"""Hand-written snippets: where Python-Markdown and CommonMark agree, and where they part."""

from __future__ import annotations

# Bodies the fast lane must take, and render exactly as MkDocs does.
FAST: dict[str, str] = {
    "heading-dedup": "# Title\n\n## Same\n\n## Same\n\n### Same\n\n## Same_1\n",
    "toc-nesting": "## A\n\n#### deep\n\n### B\n\n## C\n\n# Top\n\n###### six\n",
    "h1-not-first": "Intro.\n\n# Late title\n",
    "h1-first": "# First *title* & `co<de>`\n\nText.\n",
    "h1-after-admonition": "!!! note\n    Body.\n\n# Title\n",
    "unicode-slug": "## Café straße → 日本 Ünïcödé\n\n## ???\n\n## 50% off!\n",
    "escapes": "\\*not em\\* \\[not link\\] \\_x\\_ \\# \\. \\! \\( \\) \\+ \\-\n",
    "escapes-in-heading": "## Dial \\*06 \\[x\\]\n\nDial **\\*#06#**.\n",
    "entities-plain": "A & B, 1 < 2 > 0, \"quoted\" and 'single'.\n",
    "links": (
        "[rel](y.md) [frag](y.md#part) [anchor](#top) [ext](https://e.com/?a=1&b=2)"
        ' [titled](../b.md "A & B") [mail](mailto:x@e.com) [missing](nope.md)\n'
    ),
    "images": '![alt text](img.png) ![b](../b.md "t") ![a & b](y.md) ![it\'s](y.md "it\'s")\n',
    "apostrophes": "[it's](y.md \"it's\") it's `it's`\n\n```\nit's\n```\n",
    "emphasis": "*em* **strong** snake_case_word a_b **bold, with comma** *it.*\n",
    "hard-break": "line one  \nline two\nline three\n",
    "code-spans": "Use `ping -c 4` and `<b>` and `a & b` and `x*y*z`.\n",
    "lists": "- one\n- two\n\nBetween.\n\n1. a\n2. b\n\nAfter.\n",
    "nested-list": "1. a\n2. b:\n    - x\n    - y\n        1. z\n3. c\n",
    "ordered-start": "5. five\n6. six\n",
    "table-align": "| A | B | C |\n|:--|--:|:-:|\n| 1 | **2** | `3` |\n| [x](y.md) | a & b | c |\n",
    "table-plain": "| Light | What |\n|---|---|\n| Solid white | Online |\n",
    "fences": (
        '```\nplain <b>\n```\n\n```bash\necho "hi" && ls\n```\n\n```nope\nx\n```\n\n'
        "```python\ndef f():\n    return 1\n\n\nprint(f())\n```\n"
    ),
    "admonitions": (
        '!!! tip "Stay & connected"\n    Body *x*.\n\n    More.\n\n'
        "!!! warning\n    - a\n    - b\n\n"
        '??? note "Details"\n    Hidden.\n\n'
        "???+ danger\n    Open.\n\n    ## Inside\n\n    ```text\n    code\n    ```\n"
    ),
    "nested-admonition": "!!! note\n    Outer.\n\n    !!! tip\n        Inner.\n\nAfter.\n",
    "quote-and-rule": "> quoted **text**\n> more\n\n---\n\n***\n\nEnd.\n",
    "kitchen-sink": (
        "   \n"
        "\n"
        '# Q&A "x" — it\'s < fine?\n'
        "\n"
        "**Note:** 3.5 GHz and 1. mid-line # hash.\n"
        "\n"
        "+ plus one\n"
        "+ plus two\n"
        "\n"
        "Between.\n"
        "\n"
        "8. eight\n"
        "9. nine\n"
        "10. ten\n"
        "    - sub of ten\n"
        "11. eleven\n"
        "\n"
        '!!! warning "Careful"\n'
        "    | A | B |\n"
        "    |:-:|--:|\n"
        "    | `x` | [l](y.md) |\n"
        "\n"
        "    1. a\n"
        "        - b\n"
        "\n"
        "    ```yaml\n"
        '    key: "value"   \n'
        "    ```\n"
        "\n"
        "# Second h1\n"
    ),
    "empty": "",
    "only-blank": "\n\n\n",
}

# Bodies where the dialects part (or may): slow_lane_reason must name the line.
SLOW: dict[str, tuple[str, int]] = {
    "list-after-paragraph": ("Para\n- item\n- item\n", 2),
    "adjacent-lists-merge": ("- one\n- two\n\n1. a\n2. b\n", 4),
    "two-space-nesting": ("- a\n  - b\n", 2),
    "lazy-continuation": ("- a\ncontinued\n", 2),
    "raw-html": ("Text\n\n<div>x</div>\n", 3),
    "inline-html": ("Press <kbd>Ctrl</kbd>.\n", 1),
    "attr-list": ("## Title {: .x }\n", 1),
    "attr-list-id": ("## Title {#custom}\n", 1),
    "md-in-html": ('<div markdown="1">\n*x*\n</div>\n', 1),
    "tab": ("Text\n\n\tcode\n", 3),
    "indented-code": ("Text\n\n    code\n", 3),
    "setext": ("Title\n=====\n", 2),
    "setext-dash": ("Title\n---\n", 2),
    "autolink": ("See <https://example.com>.\n", 1),
    "footnote": ("Text[^1]\n\n[^1]: Note.\n", 1),
    "reference-link": ("[a][b]\n\n[b]: /x\n", 1),
    "entity": ("Copyright &copy; 2026\n", 1),
    "numeric-entity": ("A &#169; B\n", 1),
    "underscore-emphasis": ("An _emphasised_ word\n", 1),
    "intraword-star": ("2*3*4\n", 1),
    "custom-fence": ("```{.python title='x'}\nx\n```\n", 1),
    "tilde-fence": ("~~~\nx\n~~~\n", 1),
    "one-trailing-space": ("a \nb\n", 1),
    "three-trailing-spaces": ("a   \nb\n", 1),
    "heading-no-space": ("#Title\n", 1),
    "closed-heading": ("## Title ##\n", 1),
    "admonition-two-space-body": ("!!! note\n  Body\n", 1),
    "admonition-empty-title": ('!!! note ""\n    Body\n', 1),
    "admonition-markup-title": ('!!! note "*x*"\n    Body\n', 1),
    "paren-list": ("1) a\n2) b\n", 1),
    "mixed-bullets": ("- a\n* b\n", 2),
    "code-span-padding": ("` x `\n", 1),
    "double-backticks": ("``a ` b``\n", 1),
    "backslash-backslash": ("a \\\\ b\n", 1),
    "image-in-heading": ("## ![icon](img.png) Title\n", 1),
    "heading-then-text": ("## Title\nText\n", 2),
    "fence-in-paragraph": ("Text\n```\ncode\n```\n", 2),
    "unclosed-fence": ("```\ncode\n", 1),
    "html-comment": ("<!-- more -->\n", 1),
    "heading-hash-at-end": ("## Dial \\*#06#\n", 1),
    "empty-alt": ("![](img.png)\n", 1),
    "adjacent-quotes-merge": ("> one\n\n> two\n", 3),
    "nested-numbered-not-1": ("- a\n    2. b\n", 2),
    "byte-order-mark": ("\ufeff# Title\n", 1),
    "setext-two-dashes": ("Text\n--\n", 2),
    "empty-link-title": ('[a](y.md "")\n', 1),
    "carriage-return": ("a\r\nb\n", 1),
}
