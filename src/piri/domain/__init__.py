"""Piri's rules as pure functions: plain data in, plain data out, no I/O."""
