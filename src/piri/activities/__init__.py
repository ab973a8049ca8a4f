"""Activity files: FIT, GPX and TCX readers, archives, and the importer."""
