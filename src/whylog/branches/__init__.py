"""Layer 9, parallel branches: the merge driver for record files (`merge`), renumbering two records that
share an id (`renumber`), and the pre-commit hook (`hook`)."""
