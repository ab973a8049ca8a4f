"""Coverage-guided fuzzing of every parser of outside data (issue 9): see fuzz/run.py."""
