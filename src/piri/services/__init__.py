"""The service layer: every surface (CLI, web, API) calls these functions."""
