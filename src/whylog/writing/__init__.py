"""Layer 4, writing records and showing them as written: where a record goes and how it is spliced in
(`placement`, `decision_place`, `postmortem_files`), input from flags and JSON (`flags`), capture from git
(`capture`), the secret scan (`secrets`, `secret_forms`), and a record's text as its file holds it
(`listing`, for show and export)."""
