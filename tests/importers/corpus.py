"""Hostile and personal text for the imported-site tests: XSS vectors and personal data.

Every script payload sets ``window.__xss`` (or opens a dialog): a browser that ran any of them
shows it. The vectors follow OWASP's XSS filter evasion cheat sheet, plus what is particular to
Markdown and MkDocs: escaped text that a converter turns back into tags, Markdown links and
images with script URLs, attribute lists, ``markdown`` attributes, snippets and templates.
"""

from __future__ import annotations

import base64

_DATA_PAGE = base64.b64encode(b"<script>parent.__xss=1</script>").decode()
POLYGLOT = (
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=window.__xss=1 )//%0D%0A%0d%0a//</stYle/"
    "</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=window.__xss=1//>\\x3e"
)

XSS_VECTORS: tuple[str, ...] = (
    "<script>window.__xss=1</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<script>alert(1)</script>",
    '<img src=x onerror="window.__xss=1">',
    "<IMG SRC=x ONERROR=window.__xss=1>",
    "<img src=x onerror=&#119;indow.__xss=1>",
    '<img src="javascript:window.__xss=1">',
    "<img src=x:alert(1) onerror=eval(src)>",
    '<img """><script>window.__xss=1</script>">',
    '<img src="https://forum.example.com/a.png" onload="window.__xss=1">',
    '<svg onload="window.__xss=1">',
    "<svg><script>window.__xss=1</script></svg>",
    '<svg><a xlink:href="javascript:window.__xss=1"><text y="20">svg link</text></a></svg>',
    '<body onload="window.__xss=1">',
    '<iframe src="javascript:window.__xss=1"></iframe>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '<a href="javascript:window.__xss=1">js link</a>',
    '<a href="JaVaScRiPt:window.__xss=1">mixed case</a>',
    '<a href="&#106;avascript:window.__xss=1">entity</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;'
    'window.__xss=1">hex</a>',
    '<a href="java&#x09;script:window.__xss=1">tab</a>',
    '<a href=" javascript:window.__xss=1">space</a>',
    f'<a href="data:text/html;base64,{_DATA_PAGE}">data link</a>',
    '<a href="vbscript:msgbox(1)">vbscript</a>',
    '<a href="https://ok.example/" onclick="window.__xss=1">click handler</a>',
    '<a href="https://ok.example/a) [x](javascript:window.__xss=1">broken url</a>',
    '<form action="javascript:window.__xss=1"><button>go</button></form>',
    '<button formaction="javascript:window.__xss=1">button</button>',
    '<input autofocus onfocus="window.__xss=1">',
    '<details open ontoggle="window.__xss=1"><summary>s</summary></details>',
    '<video><source onerror="window.__xss=1"></video>',
    '<audio src=x onerror="window.__xss=1">',
    '<object data="javascript:window.__xss=1"></object>',
    '<embed src="javascript:window.__xss=1">',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
    '<link rel="stylesheet" href="javascript:window.__xss=1">',
    "<style>@import 'javascript:window.__xss=1';</style>",
    '<div style="background:url(javascript:window.__xss=1)">styled</div>',
    '<p style="x:expression(window.__xss=1)">expression</p>',
    '<base href="javascript:window.__xss=1//">',
    '<table background="javascript:window.__xss=1"><tr><td>t</td></tr></table>',
    '<marquee onstart="window.__xss=1">m</marquee>',
    '<isindex action="javascript:window.__xss=1" type=image>',
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=1">',
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
    '<template><img src=x onerror="window.__xss=1"></template>',
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    "<xmp><img src=x onerror=window.__xss=1></xmp>",
    "<textarea><img src=x onerror=window.__xss=1></textarea>",
    "<title><img src=x onerror=window.__xss=1></title>",
    "<![CDATA[<img src=x onerror=window.__xss=1>]]>",
    "<!--<img src=x onerror=window.__xss=1>-->",
    '"><script>window.__xss=1</script>',
    "'><img src=x onerror=window.__xss=1>",
    POLYGLOT,
    "&lt;img src=x onerror=window.__xss=1&gt;",
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "&amp;lt;script&amp;gt;window.__xss=1&amp;lt;/script&amp;gt;",
    "&lt;a href=&quot;javascript:window.__xss=1&quot;&gt;escaped link&lt;/a&gt;",
    "[markdown link](javascript:window.__xss=1)",
    "![markdown image](javascript:window.__xss=1)",
    f"[data link](data:text/html;base64,{_DATA_PAGE})",
    'Attribute list{: onclick="window.__xss=1" }',
    '<div markdown="1" onclick="window.__xss=1">md in html</div>',
    '--8<-- "mkdocs.yml"',
    "{{ 7*7 }}",
    "{% for x in range(3) %}{{ x }}{% endfor %} {{ config.site_name }}",
)
"""Each becomes one thread: in its title, the question (HTML), the answer (Markdown), a name."""

TEMPLATE_TEXT = "{{ 7*7 }}"

# Personal data: each must be gone from every file of the built site and from the Markdown.
EMAILS = ("jane.doe@example.com", "j_smith+help@mail.example.co.uk", "Info@Example.ORG")
PHONES = (
    "+44 20 7946 0958",
    "020 7946 0958",
    "07700 900123",
    "+1 (415) 555-2671",
    "415-555-2671",
    "+49 30 901820",
    "030 901820",
    "0171 1234567",
    "+34 912 34 56 78",
    "612 345 678",
)
CARDS = ("4111 1111 1111 1111", "5555-5555-5555-4444", "378282246310005", "6011 0009 9013 9424")
ORDERS = ("ORD-88412931", "ORD-20261101")
PERSONAL = EMAILS + PHONES + CARDS + ORDERS
ORDER_PATTERN = r"\bORD-\d{6,}\b"
