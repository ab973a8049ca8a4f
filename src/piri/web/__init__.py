"""The web surfaces: the JSON API (``web.api``) and, later, the pages; thin over the services."""
