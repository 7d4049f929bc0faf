"""Redirect pages: tiny HTML files that send a visitor from one URL to another.

A page that is not translated is rendered once, in the default language; its URL in another
language's tree is a redirect that also remembers which language the reader wanted, so the
page can say it is not translated yet.
"""

from __future__ import annotations

import html
import json


def redirect_page(target: str, canonical: str, title: str, lang: str) -> str:
    """A page at another language's URL sending the reader to ``target`` (a relative URL)."""
    href = html.escape(target, quote=True)
    # json.dumps gives a JavaScript string literal; "</" is split so it cannot close the script.
    script_target = json.dumps(target).replace("</", "<\\/")
    script_lang = json.dumps(lang)
    return (
        "<!doctype html>\n"
        f'<html lang="{html.escape(lang, quote=True)}"><head><meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        f'<link rel="canonical" href="{html.escape(canonical, quote=True)}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        f'<script>try{{sessionStorage.setItem("carebase.lang",{script_lang})}}catch(e){{}}'
        f"location.replace({script_target}+location.hash)</script>\n"
        f'</head><body><p><a href="{href}">{html.escape(title)}</a></p></body></html>\n'
    )
