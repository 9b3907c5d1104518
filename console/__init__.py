"""The web console for community managers and its REST API."""
