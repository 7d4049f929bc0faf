"""The ``carebase/import`` plugin: imported community articles, sanitised and redirected."""
