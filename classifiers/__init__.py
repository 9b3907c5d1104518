"""Judgement of mention text: sentiment, intent, risk and language. Pure and batched, no database."""
