"""The ``piri`` command line: argument parsing and printing over the service layer."""
