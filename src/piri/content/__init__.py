"""Clinical content kept as data files and validated by typed models on load."""
