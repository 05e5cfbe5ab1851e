"""How much was pledged: the MONEY entity of a sentence as "AMOUNT CURRENCY" ("200000000000 EUR")."""

from __future__ import annotations

import re

from spacy.tokens import Doc

SCALES = {"thousand": 10**3, "million": 10**6, "mn": 10**6, "m": 10**6, "billion": 10**9, "bn": 10**9,
          "b": 10**9, "trillion": 10**12, "tn": 10**12, "crore": 10**7, "lakh": 10**5}
CURRENCIES = {"$": "USD", "us$": "USD", "dollar": "USD", "dollars": "USD", "usd": "USD", "€": "EUR", "euro": "EUR",
              "euros": "EUR", "eur": "EUR", "£": "GBP", "pound": "GBP", "pounds": "GBP", "gbp": "GBP",
              "yen": "JPY", "¥": "JPY", "yuan": "CNY", "rupees": "INR", "rs": "INR", "won": "KRW",
              "reais": "BRL", "c$": "CAD", "a$": "AUD", "riyals": "SAR", "dirhams": "AED"}


def money_spent_by(sent: Doc, trigger: int) -> bool:
    """Whether an amount of money in the sentence hangs on the trigger verb ("approved the
    mission with an outlay of Rs 10,000 crore", "launched an institute with C$50 million")."""
    for ent in sent.ents:
        if ent.label_ != "MONEY":
            continue
        tok = ent.root
        for _ in range(8):
            if tok.i == trigger:
                return True
            if tok.head.i == tok.i:
                break
            tok = tok.head
    return False


def money(sent: Doc) -> str | None:
    """The first amount of money the sentence names, normalised, or None."""
    for ent in sent.ents:
        if ent.label_ != "MONEY":
            continue
        text = ent.text.lower().replace(",", "")
        number = re.search(r"\d+(?:\.\d+)?", text)
        if not number:
            continue
        value = float(number.group())
        words = re.findall(r"[a-z]+\$|[a-z$€£¥]+|[$€£¥]", text)
        scale = next((SCALES[w] for w in words if w in SCALES), 1)
        following = sent[ent.end].lower_ if ent.end < len(sent) else ""
        currency = next((CURRENCIES[w] for w in [*words, following] if w in CURRENCIES), None)
        if currency is None:
            continue
        return f"{round(value * scale)} {currency}"
    return None
