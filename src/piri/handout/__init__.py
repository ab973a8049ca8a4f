"""The printable program: an HTML template and its print stylesheet, rendered to PDF by
WeasyPrint (:mod:`piri.handout.render`). The data comes from :mod:`piri.services.handout`."""
