"""One sender per platform (X, Reddit, Mastodon, Bluesky), built like the collectors."""
