"""Assembler for socialcrm/data/demo_mentions.jsonl: ids, urls, threads and authors from P() calls."""
import hashlib, json, random, re, sys, unicodedata
from datetime import datetime, timezone, timedelta

REF = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)
BRANDS = {"N": "Nimbus Mobile", "K": "Kavra Coffee", "V": "Voltride"}
SENT = {"neg": "negative", "neu": "neutral", "pos": "positive"}
INTENTS = {"complaint", "question", "suggestion", "purchase", "praise", "spam", "other"}
RISKS = {"legal", "safety", "privacy", "churn"}
B32S = "234567abcdefghijklmnopqrstuvwxyz"
B32 = "abcdefghijklmnopqrstuvwxyz234567"
B36 = "0123456789abcdefghijklmnopqrstuvwxyz"

POSTS = []
AUTHORS = {}  # (platform, handle) -> dict


def P(key, plat, au, when, brand, gold, text, **kw):
    POSTS.append(dict(key=key, plat=plat, au=au, when=when, brand=brand, gold=gold, text=text, **kw))


def rng(*parts):
    return random.Random(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest())


def minutes(when):
    m = re.fullmatch(r"(\d+)d(\d\d)h(\d\d)m", when)
    assert m, when
    d, h, mi = map(int, m.groups())
    assert h < 24 and mi < 60, when
    return d * 1440 + h * 60 + mi


def ts(when):
    return REF - timedelta(minutes=minutes(when))


def b36(n):
    s = ""
    while n:
        n, r = divmod(n, 36)
        s = B36[r] + s
    return s or "0"


def tid(dt, salt):
    us = int(dt.timestamp() * 1_000_000) + rng("tidus", salt).randint(0, 999_999)
    n = (us << 10) | rng("tid", salt).randint(0, 1023)
    s = ""
    for _ in range(13):
        s = B32S[n & 31] + s
        n >>= 5
    return s


def did(salt):
    r = rng("did", salt)
    return "did:plc:" + "".join(r.choice(B32) for _ in range(24))


def post_id(plat, dt, salt, kind=None):
    r = rng("pid", plat, salt)
    ms = int(dt.timestamp() * 1000) + r.randint(0, 59_999)
    if plat == "x":
        return str(((ms - 1288834974657) << 22) | r.getrandbits(22))
    if plat == "mastodon":
        return str((ms << 16) | r.getrandbits(16))
    if plat == "reddit":
        mins = int((dt - datetime(2026, 11, 1, tzinfo=timezone.utc)).total_seconds() // 60)
        if kind == "t3":
            return "t3_" + b36(int("1r8a000", 36) + mins * 9 + r.randint(0, 8))
        return "t1_" + b36(int("o3k0000", 36) + mins * 160 + r.randint(0, 159))
    raise ValueError(plat)


def slugify(title):
    t = unicodedata.normalize("NFKD", title.lower())
    t = "".join(c for c in t if not unicodedata.combining(c))
    words = re.findall(r"[a-z0-9]+", t)
    return "_".join(words)[:60].rstrip("_") or "post"


def register_author(plat, au):
    parts = au.split("|")
    handle = parts[0]
    k = (plat, handle)
    if len(parts) > 1:
        assert k not in AUTHORS, f"author redefined {k}"
        name, followers = parts[1], int(parts[2])
        r = rng("auth", plat, handle)
        if plat == "x":
            aid = str(r.randint(10**7, 10**10)) if r.random() < 0.55 else str(r.randint(10**17, 2 * 10**18))
        elif plat == "reddit":
            aid = "t2_" + b36(r.randint(36**5, 36**10))
        elif plat == "mastodon":
            created = r.randint(1_640_000_000_000, 1_780_000_000_000)
            aid = str((created << 16) | r.getrandbits(16))
        else:
            aid = did(handle)
        AUTHORS[k] = dict(id=aid, handle=handle, name=name, followers=followers, seen=0)


def author_for(plat, au, when_min):
    k = (plat, au.split("|")[0])
    assert k in AUTHORS, f"unknown author {k}: define it once as 'handle|Name|followers'"
    a = AUTHORS[k]
    a["seen"] += 1
    drift = 0 if a["seen"] == 1 else rng("drift", plat, k[1], when_min).randint(0, max(2, a["followers"] // 400))
    return dict(id=a["id"], handle=a["handle"], name=a["name"], followers=a["followers"] + drift)


def build():
    for p in POSTS:
        register_author(p["plat"], p["au"])
    posts = sorted(POSTS, key=lambda p: (-minutes(p["when"]), p["key"]))  # oldest first so parents resolve
    bykey, keys = {}, set()
    out = []
    ext_cache = {}
    for p in posts:
        assert p["key"] not in keys, p["key"]
        keys.add(p["key"])
        plat, text = p["plat"], p["text"].strip()
        dt = ts(p["when"])
        mins = minutes(p["when"])
        assert mins <= 14 * 1440 - 1, p["key"]
        sent, intent, risk, lang = p["gold"].split()
        assert intent in INTENTS, p["key"]
        risks = [] if risk == "-" else risk.split(",")
        assert set(risks) <= RISKS, p["key"]
        author = author_for(plat, p["au"], mins)
        parent = bykey.get(p.get("reply")) if p.get("reply") else None
        if p.get("reply"):
            assert parent, f"{p['key']}: parent {p['reply']} missing or later"
            assert parent["plat"] == plat
            assert minutes(parent["_when"]) > mins, f"{p['key']} not after parent"
        ext = p.get("ext")
        ext_id = None
        if ext:
            if ext not in ext_cache:
                e_plat, e_who, e_when = ext[0], ext[1], ext[2]
                assert minutes(e_when) > mins
                e_dt = ts(e_when)
                if e_plat == "reddit":
                    eid = post_id("reddit", e_dt, ext, "t3")
                elif e_plat == "bluesky":
                    eid = f"at://{did(e_who)}/app.bsky.feed.post/{tid(e_dt, ext)}"
                else:
                    eid = post_id(e_plat, e_dt, ext)
                ext_cache[ext] = eid
            ext_id = ext_cache[ext]
        salt = p["key"]
        rec = {"platform": plat}
        conv = None
        in_reply = None
        if plat == "x":
            eid = post_id("x", dt, salt)
            url = f"https://x.com/{author['handle']}/status/{eid}"
            if parent:
                in_reply, conv = parent["external_id"], parent["conversation_id"]
            elif ext_id:
                in_reply = conv = ext_id
            else:
                conv = eid
        elif plat == "mastodon":
            eid = post_id("mastodon", dt, salt)
            user, inst = author["handle"].split("@")
            url = f"https://{inst}/@{user}/{eid}"
            if parent:
                in_reply, conv = parent["external_id"], parent["conversation_id"] or parent["external_id"]
            elif ext_id:
                in_reply = conv = ext_id
        elif plat == "bluesky":
            t = tid(dt, salt)
            eid = f"at://{author['id']}/app.bsky.feed.post/{t}"
            url = f"https://bsky.app/profile/{author['handle']}/post/{t}"
            if parent:
                in_reply, conv = parent["external_id"], parent["conversation_id"] or parent["external_id"]
            elif ext_id:
                in_reply = conv = ext_id
        else:  # reddit
            if parent:
                sub, slug, t3 = parent["_sub"], parent["_slug"], parent["conversation_id"]
                eid = post_id("reddit", dt, salt, "t1")
                in_reply, conv = parent["external_id"], t3
            elif ext_id:
                sub, slug = ext[1], ext[3]
                t3 = ext_id
                eid = post_id("reddit", dt, salt, "t1")
                in_reply, conv = t3, t3
            else:
                sub = p["sub"]
                slug = slugify(text.split("\n")[0])
                eid = post_id("reddit", dt, salt, "t3")
                t3 = conv = eid
            url = f"https://www.reddit.com/r/{sub}/comments/{t3[3:]}/{slug}/"
            if eid.startswith("t1_"):
                url += eid[3:] + "/"
        repost_of = None
        if p.get("repost"):
            orig = bykey[p["repost"]]
            assert orig["platform"] == plat == "x"
            repost_of = orig["external_id"]
            body = orig["text"]
            prefix = f"RT @{orig['author']['handle']}: "
            text = prefix + body
            if len(text) > 140 + len(prefix):
                text = (prefix + body)[: 140 + len(prefix)].rstrip() + "…"
            conv = eid
        if p.get("dup"):
            text = bykey[p["dup"]]["text"]
        limit = {"x": 280, "bluesky": 300, "mastodon": 500, "reddit": 40000}[plat]
        assert len(text) <= limit, f"{p['key']} too long {len(text)}"
        assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in text), p["key"]
        rec.update({
            "external_id": eid, "url": url, "author": author, "text": text,
            "posted_at": f"-{p['when']}", "conversation_id": conv, "in_reply_to_id": in_reply,
            "repost_of": repost_of, "brand": BRANDS[p["brand"]],
            "gold": {"sentiment": SENT[sent], "intent": intent, "risk": risks, "language": lang},
        })
        rec["_sub"] = sub if plat == "reddit" else None
        rec["_slug"] = slug if plat == "reddit" else None
        rec["_when"] = p["when"]
        rec["plat"] = plat
        bykey[p["key"]] = rec
        out.append(rec)
    lines = []
    for r in out:
        clean = {k: v for k, v in r.items() if not k.startswith("_") and k != "plat"}
        lines.append(json.dumps(clean, ensure_ascii=False))
    return out, lines


if __name__ == "__main__":
    import importlib
    for mod in sys.argv[2:]:
        importlib.import_module(mod)
    out, lines = build()
    with open(sys.argv[1], "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    from collections import Counter
    print(len(lines), "lines")
    print(Counter(r["platform"] for r in out))
    print(Counter(r["gold"]["language"] for r in out))
    print(Counter(r["gold"]["intent"] for r in out))
    print(Counter(x for r in out for x in r["gold"]["risk"]), sum(1 for r in out if r["gold"]["risk"]))
    print(Counter(r["brand"] for r in out))
    print(Counter(r["gold"]["sentiment"] for r in out))
    print("authors (platform ids):", len({(r['platform'], r['author']['id']) for r in out}))
