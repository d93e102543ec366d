"""linker: find networks of fraudulent accounts in AI-platform metadata."""

__version__ = "0.1.0"
