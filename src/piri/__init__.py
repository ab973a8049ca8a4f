"""Piri: help for runners with a pain in the buttock."""

__version__ = "0.1.0"
