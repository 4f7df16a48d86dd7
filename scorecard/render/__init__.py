"""Rendering: scorecards -> static site (Jinja2), PDFs (WeasyPrint), open data (JSON/CSV), badges.

Rendering never extracts or scores: it only turns Scorecards into bytes.
"""
