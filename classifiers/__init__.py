"""Judgement of mention text: sentiment, intent, risk and language. Pure, batched, no database."""
