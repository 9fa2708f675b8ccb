"""Checks that lint and status share: verification re-runs and commits no record names."""
