"""The index: a rebuildable SQLite cache of the records, for search and `why`."""
