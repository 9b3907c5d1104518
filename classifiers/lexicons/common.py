"""Cues that need no language: emoji and internet-wide vocabulary (crypto, NFTs).

Emoji carry a lot of sentiment on social platforms. The fire emoji is praise
("this is 🔥"), never a safety risk. Eye-rolls are weak on their own and mainly
flip nearby praise when the post also describes a bad situation.
"""

from __future__ import annotations

from classifiers.lexicons.schema import Lexicon

# Hand-wrapped for reading as word lists; keep the formatter out.
# fmt: off
LEXICON = Lexicon(
    cues={
        "positive": ("❤", "♥", "😍", "🥰", "👍", "🙌", "💯", "😊", "🤩"),
        "negative": ("😡", "😠", "🤬", "👎", "😤", "😞", "💩", "🤮"),
        "spam": ("crypto", "bitcoin", "btc", "nft", "nfts", "forex", "usdt"),
    },
    weak={
        "positive": ("🔥", "👏", "🙏", "😀", "😁", "😄", "✨"),
        "negative": ("😢", "😭", "😩", "😑"),
        "sarcasm": ("🙄", "🙃", "😒", "🤡"),
        "spam": ("💰", "🚀", "💸", "🎁"),
    },
)
# fmt: on
