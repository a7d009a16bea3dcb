"""rostra: a self-hosted comment platform for newsrooms with a multilingual guideline screen."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rostra")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
