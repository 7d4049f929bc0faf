"""Tests of the fast-lane renderer (carebase.render)."""
