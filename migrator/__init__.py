"""cerebras-migrate: move OpenAI SDK code onto Cerebras Inference."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cerebras-migrate")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
