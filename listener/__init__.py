"""Collectors, one module per platform, and the one runner that stores batches with cursors."""
