"""Presenting results: words, terminal tables, JSON, and (later) the HTML report."""
