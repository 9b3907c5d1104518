"""The application shell: CLI, pipeline wiring and scheduler."""

__version__ = "0.1.0"
