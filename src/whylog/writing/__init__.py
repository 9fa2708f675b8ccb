"""Writing records: where each goes, input from flags and JSON, capture from git, secrets, listing."""
