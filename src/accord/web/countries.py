"""Country names and codes for the pages: actor codes (ISO alpha-3) and map ids (ISO numeric).

The world map's shapes (Natural Earth, from the world-atlas package) carry ISO 3166
numeric ids; the store names countries by alpha-3. pycountry maps one to the other here,
on the server, so the browser only ever sees alpha-3 codes.
"""

from __future__ import annotations

from functools import cache

import pycountry


@cache
def numeric_to_alpha3() -> dict[str, str]:
    """ISO numeric id (zero-padded, as the map uses) -> alpha-3 code, for every ISO country."""
    return {c.numeric: c.alpha_3 for c in pycountry.countries}


@cache
def actor_name(code: str) -> str:
    """A readable name for an actor code: the country's common name, or the code itself."""
    country = pycountry.countries.get(alpha_3=code.upper()) if len(code) == 3 else None
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


@cache
def is_country(code: str) -> bool:
    """Whether an actor code is an ISO alpha-3 country code."""
    return len(code) == 3 and pycountry.countries.get(alpha_3=code.upper()) is not None
