"""Carebase's own page renderer for articles: its Markdown dialect, the page skeleton cut from
the theme's render, and the page writer. Never imports MkDocs."""
