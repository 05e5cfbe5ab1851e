"""Generate a large, realistic-looking news corpus as WARC.gz, WARC and JSONL shards.

A day of the world's news is mostly not about AI governance: here about 3% of stories
are (states signing, hosting, refusing, adopting AI declarations, resolutions and
strategies), a few more mention AI in passing (chip sales, a chatbot launch), and the
rest are sport, markets, weather, crime, health, culture and local politics. Pages carry
varied boilerplate (menus, cookie banners, share bars, related-story lists, ad image
names, footers with phone numbers) and a share of stories are syndicated near-copies of
an earlier one under another outlet's wrapper. All text comes from the templates and
word lists below, combined at random with a fixed seed, so a corpus is reproducible.

    python bench/generate_corpus.py OUT_DIR --docs 5000 --shard-size 250 --seed 7
"""

from __future__ import annotations

import argparse
import html
import io
import json
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

# --- word lists -----------------------------------------------------------------------------------
COUNTRIES = [
    ("France", "French"), ("Germany", "German"), ("Japan", "Japanese"), ("Canada", "Canadian"),
    ("Brazil", "Brazilian"), ("India", "Indian"), ("Kenya", "Kenyan"), ("Mexico", "Mexican"),
    ("South Korea", "South Korean"), ("Australia", "Australian"), ("Italy", "Italian"),
    ("Spain", "Spanish"), ("Nigeria", "Nigerian"), ("Indonesia", "Indonesian"), ("Chile", "Chilean"),
    ("Norway", "Norwegian"), ("Singapore", "Singaporean"), ("Egypt", "Egyptian"),
    ("Poland", "Polish"), ("Vietnam", "Vietnamese"), ("Argentina", "Argentine"), ("Sweden", "Swedish"),
    ("China", "Chinese"), ("the United States", "American"), ("Britain", "British"),
]
CITIES = ["Lisbon", "Nairobi", "Montreal", "Osaka", "Santiago", "Oslo", "Hanoi", "Accra", "Valencia",
          "Geneva", "Kigali", "Busan", "Perth", "Krakow", "Cartagena", "Tallinn", "Dakar", "Lima"]
QUALITIES = ["Responsible", "Trustworthy", "Safe", "Inclusive", "Human-Centred", "Secure", "Open"]
BODIES = [("the United Nations General Assembly", "resolution"), ("the European Union", "regulation"),
          ("the Council of Europe", "convention"), ("the OECD", "recommendation"),
          ("the G7", "code of conduct"), ("UNESCO", "recommendation"), ("the African Union", "strategy")]
MINISTRIES = ["digital affairs", "science and technology", "foreign affairs", "industry", "innovation"]
TEAMS = ["Rovers", "United", "Athletic", "City", "Wanderers", "Rangers", "Harriers", "Albion", "Dynamo"]
TOWNS = ["Ashford", "Belmont", "Carlow", "Dunmore", "Eastwick", "Fairhaven", "Glenrock", "Harlow",
         "Ivybridge", "Kingsley", "Lynwood", "Marston", "Northam", "Oakridge", "Penrith", "Redcliff"]
FIRST = ["Ana", "Tom", "Lena", "Omar", "Mei", "Jonas", "Priya", "Kofi", "Sara", "Luis", "Ines", "Ravi",
         "Yuki", "Nadia", "Pavel", "Grace", "Tariq", "Elena", "Hugo", "Amara"]
LAST = ["Moreau", "Okafor", "Tanaka", "Silva", "Kowalski", "Haddad", "Larsen", "Mendez", "Nguyen",
        "Fischer", "Osei", "Rossi", "Patel", "Novak", "Brennan", "Castillo", "Ibrahim", "Holm"]
COMPANIES = ["Northwind Foods", "Vantage Motors", "Bluepeak Energy", "Helix Pharma", "Crescent Bank",
             "Orbital Freight", "Summit Retail", "Keystone Steel", "Lumen Telecom", "Harbor Airlines"]
WEATHER = ["heavy rain", "a heatwave", "strong winds", "thick fog", "snowfall", "thunderstorms", "frost"]
GOODS = ["wheat", "copper", "crude oil", "coffee", "natural gas", "gold", "soybeans", "aluminium"]
ILLNESS = ["measles", "influenza", "dengue fever", "norovirus", "whooping cough"]
ARTS = ["an exhibition of early photography", "a new opera production", "a jazz festival",
        "a retrospective of textile art", "a season of silent films", "a poetry prize"]

# --- story templates: each a headline and paragraphs with {slots} --------------------------------
GOVERNANCE = [
    ("{c1} and {c2} sign {city} Declaration on {quality} AI",
     ["{c1} and {c2} signed the {city} Declaration on {quality} Artificial Intelligence on {when}, "
      "joining {n} other countries at a two-day summit in {city}.",
      "The declaration commits signatories to share research on the risks of advanced AI systems "
      "and to meet again next year.",
      "{d3} officials said {c3} had declined to sign the {city} Declaration, citing concerns about "
      "its effect on national security.",
      "\"{quote_ai}\", said {person}, {c1}'s minister for {ministry}."]),
    ("{body_cap} adopts {instrument} on artificial intelligence",
     ["{body} adopted a {instrument} on artificial intelligence on {when}, setting out common rules "
      "for the use of AI in public services.",
      "The text, proposed by {c1}, was co-sponsored by {c2} and {c3}.",
      "\"{quote_ai}\", {person} told reporters after the vote.",
      "Rights groups said the {instrument} did not go far enough on facial recognition."]),
    ("{c1} hosts global talks on AI safety",
     ["{c1} hosted the {city} AI Safety Summit on {when}, bringing together ministers from "
      "{n} countries and the heads of several research laboratories.",
      "{c2} pledged $ {money} million to a new fund for AI safety research announced at the summit.",
      "{d3} delegates attended the summit but did not endorse its final statement.",
      "{person}, who chaired the opening session, said governments could not leave the question of "
      "frontier AI to companies alone."]),
    ("{c1} unveils national artificial intelligence strategy",
     ["{c1} launched its National Artificial Intelligence Strategy on {when}, promising new "
      "computing centres and rules for high-risk systems.",
      "The plan was drafted by the ministry of {ministry} after a year of consultation.",
      "{c1} will also join the Global Partnership on Artificial Intelligence, {person} said.",
      "Opposition lawmakers criticised the strategy for lacking a budget."]),
    ("{c1} withdraws from {city} AI code of conduct",
     ["{c1} withdrew from the {city} Code of Conduct on Artificial Intelligence on {when}, "
      "{d1} officials said.",
      "The government said the voluntary code placed unfair burdens on {d1} companies.",
      "{c2} and {c3} said they would remain part of the code.",
      "\"{quote_ai}\", said {person}."]),
]
AI_IN_PASSING = [
    ("{company} shares jump on demand for AI chips",
     ["Shares in {company} rose {pct} percent on {when} after the firm said demand for chips used in "
      "artificial intelligence data centres had doubled.",
      "Analysts at several banks raised their price targets.",
      "The company said it would build a second factory near {town}."]),
    ("{company} launches chatbot for customer service",
     ["{company} said on {when} that customers could now ask a chatbot about orders and refunds.",
      "The tool runs on a large language model licensed from a start-up.",
      "Staff unions asked for assurances that no jobs would be cut."]),
]
EVERYDAY = [
    ("{town} {team} beat {town2} {team2} {s1}-{s2}",
     ["{town} {team} beat {town2} {team2} {s1}-{s2} on {when} in front of a crowd of {crowd}.",
      "{person} scored twice in the second half after a goalless first period.",
      "The result lifts {town} {team} to {rank} place in the table.",
      "\"We kept our shape and took our chances,\" the coach said afterwards."]),
    ("Prices of {good} {moved} as traders weigh supply",
     ["Prices of {good} {moved} {pct} percent on {when} as traders weighed supply worries "
      "against weaker demand.",
      "{company} said higher costs would weigh on its profits this quarter.",
      "Markets in {c1} closed {moved2}, with banks and energy shares leading."]),
    ("{weather_cap} expected across {town} region",
     ["Forecasters warned of {weather} across the {town} region from {when}, with travel "
      "disruption likely.",
      "Schools in {town2} said they would open late.",
      "The weather service said conditions should ease by the weekend."]),
    ("Council approves new bus lanes in {town}",
     ["{town} council voted on {when} to approve new bus lanes along the high street.",
      "Councillor {person} said the plan would cut journey times by a quarter.",
      "Shop owners said they feared the loss of parking spaces would keep customers away."]),
    ("Health officials report rise in {illness} cases",
     ["Health officials in {c1} reported a rise in {illness} cases on {when}, urging parents to "
      "check that children are vaccinated.",
      "Clinics in {town} extended their opening hours.",
      "{person}, a doctor at the regional hospital, said most patients recovered within a week."]),
    ("{town} museum opens {art_short}",
     ["The {town} museum opened {art} on {when}.",
      "Curator {person} said the show had taken three years to prepare.",
      "Tickets are free for residents on the first Sunday of each month."]),
    ("Two arrested after break-in at {town} warehouse",
     ["Police arrested two men after a break-in at a warehouse in {town} on {when}.",
      "Goods worth about {money} thousand dollars were recovered, a spokesperson said.",
      "Anyone with information was asked to contact the local station."]),
]
QUOTES_AI = ["No country can manage the risks of this technology on its own",
             "We want innovation and safety to go hand in hand",
             "Common rules are better than a patchwork of national laws",
             "This is a first step, not the last word"]

# --- page noise ----------------------------------------------------------------------------------
OUTLETS = ["The Daily Ledger", "Coastal Times", "Metro Courier", "The Evening Post", "Global Wire Today",
           "Harbour Herald", "The Northern Star", "Capital Dispatch"]
MENUS = [["Home", "World", "Business", "Sport", "Culture", "Opinion"],
         ["News", "Local", "Politics", "Markets", "Tech", "Weather", "Video"],
         ["Top stories", "Europe", "Asia", "Americas", "Africa", "Podcasts", "Newsletters"]]
NOISE = ["We use cookies to improve your experience. Accept all | Manage preferences",
         "Subscribe to our newsletter for the day's top stories",
         "Share on Facebook | Share on X | Email | Print", "Advertisement", "ad_banner_728x90.jpg",
         "promo-spring-sale-300x250.png", "Sign in | Register", "Read more", "Most read",
         "Customer service: +1 555 0100 (Mon-Fri 9am-5pm)", "Listen to this article (4 min)",
         "Follow us on social media", "Skip to main content", "Download our app"]
FOOTERS = ["© {year} {outlet}. All rights reserved.", "Contact us | Terms of use | Privacy policy",
           "Newsroom: +44 20 7946 0{n3} | tips@example.org", "About us | Careers | Advertise with us"]


@dataclass(frozen=True)
class Story:
    """One generated news story, before it is dressed as a page."""

    key: str
    title: str
    paragraphs: tuple[str, ...]
    published: date
    topic: str
    outlet: str


def _slots(rng: random.Random, day: date) -> dict[str, str]:
    (c1, d1), (c2, _), (c3, d3) = rng.sample(COUNTRIES, 3)
    body, instrument = rng.choice(BODIES)
    town, town2 = rng.sample(TOWNS, 2)
    team, team2 = rng.sample(TEAMS, 2)
    art = rng.choice(ARTS)
    weather = rng.choice(WEATHER)
    when = rng.choice([f"{day.day} {day:%B}", f"{day:%A}", f"{day:%B} {day.day}"])
    return {
        "c1": c1, "c2": c2, "c3": c3, "d1": d1, "d3": d3, "body": body, "body_cap": body[0].upper() + body[1:],
        "instrument": instrument, "city": rng.choice(CITIES), "quality": rng.choice(QUALITIES),
        "ministry": rng.choice(MINISTRIES), "person": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "quote_ai": rng.choice(QUOTES_AI), "n": str(rng.randint(12, 60)), "money": str(rng.randint(5, 900)),
        "company": rng.choice(COMPANIES), "pct": f"{rng.uniform(0.5, 9):.1f}", "town": town, "town2": town2,
        "team": team, "team2": team2, "s1": str(rng.randint(1, 4)), "s2": str(rng.randint(0, 3)),
        "crowd": f"{rng.randint(2, 60) * 1000:,}", "rank": rng.choice(["third", "fifth", "second", "top"]),
        "good": rng.choice(GOODS), "moved": rng.choice(["rose", "fell", "slipped", "climbed"]),
        "moved2": rng.choice(["higher", "lower", "flat"]), "weather": weather,
        "weather_cap": weather[0].upper() + weather[1:], "illness": rng.choice(ILLNESS), "art": art,
        "art_short": " ".join(art.split()[1:4]), "when": when,
    }


def story(rng: random.Random, number: int, ai_share: float, start: date) -> Story:
    """A fresh story: AI governance with probability `ai_share`, AI in passing as often, else everyday news."""
    roll = rng.random()
    if roll < ai_share:
        topic, templates = "ai-governance", GOVERNANCE
    elif roll < 2 * ai_share:
        topic, templates = "ai-passing", AI_IN_PASSING
    else:
        topic, templates = "everyday", EVERYDAY
    day = start + timedelta(days=rng.randint(0, 365))
    title, paragraphs = rng.choice(templates)
    slots = _slots(rng, day)
    body = [p.format(**slots) for p in paragraphs]
    return Story(f"s{number:07d}", title.format(**slots), tuple(body), day, topic, rng.choice(OUTLETS))


def syndicated(rng: random.Random, original: Story) -> Story:
    """A near-copy of a story as another outlet runs it: new wrapper, a line added or dropped."""
    paragraphs = list(original.paragraphs)
    if rng.random() < 0.5 and len(paragraphs) > 2:
        paragraphs.pop()
    else:
        paragraphs.append(f"Additional reporting by {rng.choice(FIRST)} {rng.choice(LAST)}.")
    paragraphs[0] = f"{rng.choice(['WIRE', 'NEWSDESK', 'AGENCY'])} - " + paragraphs[0]
    outlet = rng.choice([o for o in OUTLETS if o != original.outlet])
    return replace(original, key=original.key + "-copy" + str(rng.randint(10, 99)), paragraphs=tuple(paragraphs),
                   outlet=outlet)


def _printed_date(rng: random.Random, day: date) -> str:
    return rng.choice([day.isoformat(), f"Published: {day.day} {day:%B %Y}", f"{day:%b}. {day.day}, {day:%Y}",
                       f"Updated {day:%Y/%m/%d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"])


def _noise(rng: random.Random, k: int) -> list[str]:
    return rng.sample(NOISE, k)


def _footer(rng: random.Random, story: Story) -> list[str]:
    return [f.format(year=story.published.year, outlet=story.outlet, n3=rng.randint(100, 999)) for f in FOOTERS]


def _related(rng: random.Random, story: Story, others: list[Story]) -> list[str]:
    """Headlines of other stories, mostly of the same kind, as sites link them."""
    others = [o for o in others if o.topic == story.topic and o.key != story.key] or others
    return [s.title for s in rng.sample(others, min(len(others), rng.randint(2, 5)))]


def page_text(rng: random.Random, story: Story, others: list[Story]) -> str:
    """The story as a text capture of a web page: menu lines, noise, body, related links, footer."""
    lines = [story.outlet, *rng.choice(MENUS), *_noise(rng, 2), story.title, _printed_date(rng, story.published),
             f"By {rng.choice(FIRST)} {rng.choice(LAST)}", ""]
    for p in story.paragraphs:
        lines += [p, ""]
        if rng.random() < 0.15:
            lines += [rng.choice(NOISE), ""]
    lines += ["Related stories", *_related(rng, story, others), "", *_footer(rng, story)]
    return "\n".join(lines)


def page_html(rng: random.Random, story: Story, others: list[Story]) -> str:
    """The story as an HTML page with header, navigation, article, aside and footer."""
    e = html.escape
    nav = "".join(f'<li><a href="/{e(m.lower())}">{e(m)}</a></li>' for m in rng.choice(MENUS))
    body = "".join(f"<p>{e(p)}</p>" + (f'<div class="ad">{e(rng.choice(NOISE))}</div>' if rng.random() < 0.15 else "")
                   for p in story.paragraphs)
    related = "".join(f'<li><a href="/story/{i}">{e(t)}</a></li>' for i, t in enumerate(_related(rng, story, others)))
    footer = "".join(f"<p>{e(f)}</p>" for f in _footer(rng, story))
    noise = "".join(f'<div class="promo">{e(n)}</div>' for n in _noise(rng, 3))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{e(story.title)} | '
            f'{e(story.outlet)}</title><meta property="article:published_time" content="{story.published}">'
            f'<script>window.dataLayer=[];</script><style>.ad{{color:#999}}</style></head><body>'
            f'<header><div class="logo">{e(story.outlet)}</div><nav><ul>{nav}</ul></nav></header>{noise}'
            f'<main><article><h1>{e(story.title)}</h1><p class="byline">By {e(rng.choice(FIRST))} '
            f'{e(rng.choice(LAST))}</p><time datetime="{story.published}">{e(_printed_date(rng, story.published))}'
            f'</time>{body}</article><aside><h2>Related stories</h2><ul>{related}</ul></aside></main>'
            f'<footer>{footer}</footer></body></html>')


def stories(count: int, seed: int = 7, ai_share: float = 0.03, copy_share: float = 0.05) -> list[Story]:
    """`count` stories, of which about `copy_share` are syndicated near-copies of earlier ones."""
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    made: list[Story] = []
    for number in range(count):
        if made and rng.random() < copy_share:
            made.append(syndicated(rng, rng.choice(made[-200:])))
        else:
            made.append(story(rng, number, ai_share, start))
    return made


def _url(story: Story) -> str:
    host = story.outlet.lower().replace("the ", "").replace(" ", "") + ".example"
    return f"https://{host}/{story.published:%Y/%m/%d}/{story.key}"


def write_jsonl(path: Path, rng: random.Random, batch: list[Story], others: list[Story]) -> None:
    """A JSONL shard: one document a line, half as text captures, half as HTML."""
    with path.open("w", encoding="utf-8") as fh:
        for s in batch:
            record = {"id": f"{path.name.split('.')[0]}-{s.key}", "url": _url(s), "published": s.published.isoformat()}
            if rng.random() < 0.5:
                record["text"] = page_text(rng, s, others)
            else:
                record["html"] = page_html(rng, s, others)
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_warc(path: Path, rng: random.Random, batch: list[Story], others: list[Story]) -> None:
    """A WARC shard (gzipped per record when the name ends in .gz) of HTTP responses holding HTML."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        for s in batch:
            body = page_html(rng, s, others).encode("utf-8")
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                  ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                _url(s), "response", payload=io.BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": f"{s.published.isoformat()}T{rng.randint(6, 22):02d}:00:00Z"})
            writer.write_record(record)


def generate(out: Path, docs: int, shard_size: int = 250, seed: int = 7, ai_share: float = 0.03,
             formats: tuple[str, ...] = ("warc.gz", "jsonl"), copy_share: float = 0.05) -> list[Path]:
    """Write `docs` documents as shards of `shard_size` into `out`, cycling through `formats`;
    return the shard paths in order."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed + 1)
    made = stories(docs, seed, ai_share, copy_share)
    shards = []
    for n, first in enumerate(range(0, docs, shard_size)):
        fmt = formats[n % len(formats)]
        path = out / f"shard{n:05d}.{fmt}"
        batch = made[first:first + shard_size]
        (write_jsonl if fmt == "jsonl" else write_warc)(path, rng, batch, made[max(0, first - 50):first + 50])
        shards.append(path)
    return shards


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--shard-size", type=int, default=250)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--ai-share", type=float, default=0.03)
    parser.add_argument("--formats", default="warc.gz,jsonl", help="comma-separated: warc.gz, warc, jsonl")
    args = parser.parse_args()
    shards = generate(args.out, args.docs, args.shard_size, args.seed, args.ai_share, tuple(args.formats.split(",")))
    size = sum(p.stat().st_size for p in shards)
    print(f"{args.docs} documents in {len(shards)} shards, {size / 1e6:.1f} MB, in {args.out}")


if __name__ == "__main__":
    main()
