"""Handouts: cue cards and plans written as Markdown, HTML or PDF (placeholder, see issue 5)."""
