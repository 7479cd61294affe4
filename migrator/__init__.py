"""cerebras-migrate: move OpenAI SDK code onto Cerebras Inference."""

# Kept equal to pyproject.toml's version by tests/test_fast_paths.py. Asking
# importlib.metadata instead would cost every run ~30 ms of imports, a fifth of a run that
# finds nothing to migrate.
__version__ = "0.1.0"
