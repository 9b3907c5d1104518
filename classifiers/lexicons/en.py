"""English cues.

Slang that only looks alarming is deliberately absent: "fire", "sick", "kill"
and "killer" never count as risks ("this phone is fire", "I'd kill for a
coffee", "killer deal"); risk entries name the harm itself ("caught fire").
"""

from __future__ import annotations

from classifiers.lexicons.schema import Lexicon

# Hand-wrapped for reading as word lists; keep the formatter out.
# fmt: off
LEXICON = Lexicon(
    cues={
        "positive": (
            "love", "loved", "loving", "love it", "great", "amazing", "awesome",
            "excellent", "fantastic", "perfect", "perfectly", "best", "good", "nice",
            "happy", "glad", "thanks", "thank you", "thx", "brilliant", "wonderful",
            "recommend", "impressed", "impressive", "smooth", "well done", "kudos",
            "shoutout", "shout out", "lifesaver", "life saver", "top notch", "superb",
            "outstanding", "delighted", "pleased", "satisfied", "works great",
            "is fire", "so fire", "killer deal", "beautiful", "solid",
        ),
        "negative": (
            "bad", "terrible", "awful", "horrible", "worst", "hate", "hated", "angry",
            "furious", "disappointed", "disappointing", "disappointment", "useless",
            "annoying", "annoyed", "frustrat*", "poor", "poorly", "slow", "sucks",
            "garbage", "trash", "ridiculous", "pathetic", "unacceptable", "fed up",
            "sick of", "sick and tired", "disgusting", "disgraceful", "incompetent",
            "rude", "waste of", "nightmare", "thanks for nothing", "shameful",
        ),
        "sarcasm": (
            "yeah right", "/s", "just great", "oh great", "oh wonderful", "oh perfect",
            "slow clap", "love that for me", "surprise surprise", "what a surprise",
        ),
        "situation": (
            "still", "again", "waiting", "hours", "days", "weeks", "months",
            "third time", "no one", "nobody", "yet another", "on hold",
        ),
        "complaint": (
            "refund", "broken", "broke", "doesn't work", "doesnt work", "does not work",
            "not working", "isn't working", "didn't work", "won't work", "won't load",
            "won't open", "stopped working", "won't turn on", "still waiting",
            "no response", "no reply", "never arrived", "hasn't arrived", "has not arrived",
            "didn't arrive", "not arrived", "delayed", "overcharged", "charged twice",
            "scam", "ripoff", "rip off", "rip-off", "complain*", "crash*", "keeps crashing",
            "defective", "faulty", "damaged", "missing", "wrong item", "wrong order",
            "fix this", "fix your", "drains", "not received", "never received",
            "not delivered", "never delivered", "hasn't been delivered", "wasn't delivered",
            "still not", "still no",
            "can't log in", "cant log in", "cannot log in", "outage", "is down", "lost my",
        ),
        "question": (
            "how do*", "how can", "how to", "how does", "how long", "how many", "how is",
            "what is", "what's", "what are", "what do", "what does", "what time",
            "when will", "when is", "when does", "when do", "when can", "where is",
            "where's", "where are", "where do", "where can", "why is", "why does",
            "why did", "why do", "why can't", "why would", "^which", "which one", "^is there",
            "^are there", "^is it", "^does it", "^do you", "^can i", "^can you",
            "^could you", "^will it", "^will there", "^any idea", "anyone know*",
            "any update", "help me",
        ),
        "suggestion": (
            "would be nice", "would be great if", "would be cool", "would love to see",
            "would love it if", "please add", "pls add", "plz add", "could you add",
            "can you add", "can we get", "you should add", "you guys should",
            "feature request", "suggestion", "i suggest", "i wish", "wish it had",
            "wish there was", "wish you would", "it'd be nice", "consider adding",
            "bring back", "why not add", "how about adding", "any plans to add",
            "it would help if", "please make", "should add",
        ),
        "purchase": (
            "how much", "price", "prices", "pricing", "want to buy", "wanna buy",
            "would like to buy", "going to buy", "gonna buy", "planning to buy",
            "thinking of buying", "thinking about buying", "where can i buy",
            "where to buy", "where do i buy", "buy one", "order one", "upgrade to",
            "upgrading to", "in stock", "back in stock", "do you ship", "ship to",
            "discount", "coupon", "sign up for", "quote for", "purchase", "pre-order",
            "preorder", "free trial",
        ),
        "spam": (
            "giveaway", "free followers", "follow back", "follow for follow", "f4f",
            "dm for promo", "dm for collab", "dm me for", "check my bio", "link in bio",
            "click here", "click the link", "make money", "earn money", "work from home",
            "passive income", "investment opportunity", "100x", "win a free",
            "claim your", "onlyfans", "casino", "limited offer", "act now",
        ),
        "legal": (
            "lawyer", "lawyers", "attorney", "lawsuit", "sue you", "sue them", "sue your",
            "sue the", "going to sue", "will sue", "suing", "sued", "legal action",
            "small claims", "chargeback", "consumer protection", "trading standards",
            "better business bureau", "class action", "take you to court",
            "see you in court", "ombudsman", "consumer agency",
        ),
        "safety": (
            "caught fire", "catch fire", "burst into flames", "fire hazard", "overheat*",
            "battery exploded", "phone exploded", "exploded in my", "burned my",
            "burnt my", "burned me", "got burned", "burn marks", "injur*",
            "allergic reaction", "food poisoning", "brakes failed", "brake failure",
            "brakes stopped working", "electric shock", "electrocuted",
            "smoke coming out", "ended up in hospital", "ended up in the hospital",
            "choking hazard", "swollen battery", "battery swelling", "got sick after",
        ),
        "privacy": (
            "hacked", "data breach", "data leak", "leaked my", "unauthorised charge*",
            "unauthorized charge*", "unauthorised transaction*",
            "unauthorized transaction*", "unauthorised access", "unauthorized access",
            "someone logged into my", "compromised", "identity theft", "stole my data",
            "selling my data", "sold my data", "doxx*",
        ),
        "churn": (
            "cancel*", "switching to", "switching over to", "never again", "never buying",
            "never buy", "never ordering", "never using", "never shopping",
            "unsubscrib*", "close my account", "closing my account", "delete my account",
            "deleting my account", "taking my business elsewhere", "won't be renewing",
            "not renewing", "done with you", "last time i",
        ),
    },
    weak={
        "positive": ("cool", "fast", "works", "ty"),
        "negative": ("joke", "mess", "meh", "unhappy"),
        "sarcasm": ("thanks a lot", "wow thanks", "great job guys"),
        "complaint": ("late", "issue", "issues", "error", "bug", "where is my", "where's my"),
        "purchase": ("buy", "deal", "subscribe", "upgrade"),
        "spam": ("promo code", "follow us", "airdrop"),
        "safety": ("exploded", "explod*", "hospital", "allergic", "smoke", "flames"),
        "privacy": ("phishing", "my personal data"),
        "churn": ("switch to", "moving to", "goodbye", "done with"),
    },
    pre_negators=(
        "not", "no", "never", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt",
        "isn't", "isnt", "wasn't", "wasnt", "aren't", "arent", "won't", "wont", "can't",
        "cant", "cannot", "couldn't", "wouldn't", "shouldn't", "hardly", "nothing",
        "nobody", "without", "zero",
    ),
    negation_breakers=("just", "only"),
    negation_fillers=("going", "gonna", "to", "really", "very", "that", "planning", "trying"),
)
# fmt: on
