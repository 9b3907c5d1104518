"""Reports built from the store (the weekly advocacy report lands here)."""
