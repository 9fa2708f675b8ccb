"""Lint rules: one module per record kind, one table (`registry.RULES`) from code to rule."""
