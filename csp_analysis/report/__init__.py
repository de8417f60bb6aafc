"""Presentation: display, narrative, tables, charts, maps and the assembled document."""
