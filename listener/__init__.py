"""Collectors, one module per platform, and the one runner that stores their batches with cursors."""
