"""Features over the core: archive (more to come: review, status, context)."""
