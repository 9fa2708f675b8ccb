"""Parallel branches: the merge driver, renumbering, the pre-commit hook."""
