"""The population: people in households, each with their own deterministic identifiers.

Rules that keep the ground truth honest:
- email, phone, crm_id, customer_number, loyalty_card, cookie_id, device_id, policy_number,
  employee_id and national_id are unique per person (never shared, never reused);
- what a household shares is its address (address_key) and, for some couples, one payer
  account: the payer owns it, the spouse's invoices name it only as a ``payer`` relation.
"""

from __future__ import annotations

import random
from typing import Any

from connectors.generator import names

Person = dict[str, Any]

COUPLE_SHARE = 0.35  # households that are couples
BOTH_CUSTOMERS = 0.7  # of couples: both are customers (else spouse is not a customer)
SHARED_PAYER = 0.5  # of customer couples: one pays for both
PROSPECTS_PER_CUSTOMER = 0.1
EMPLOYEES_PER_CUSTOMER = 0.01


def build_population(rng: random.Random, customers: int) -> list[Person]:
    """Customers in households, non-customer spouses, prospects and employees."""
    people: list[Person] = []
    emails: set[str] = set()
    households = made = 0
    while made < customers:
        households += 1
        hid = f"H{households:07d}"
        address = _address(rng)
        first = _person(rng, len(people), hid, address, emails, customer=True)
        people.append(first)
        made += 1
        if made < customers and rng.random() < COUPLE_SHARE:
            both = rng.random() < BOTH_CUSTOMERS
            spouse = _person(
                rng,
                len(people),
                hid,
                address,
                emails,
                customer=both,
                last_name=first["last_name"] if rng.random() < 0.7 else None,
            )
            _marry(rng, first, spouse)
            people.append(spouse)
            made += both
    _add_prospects(rng, people, emails, int(customers * PROSPECTS_PER_CUSTOMER) + 1)
    _add_employees(rng, people, emails, int(customers * EMPLOYEES_PER_CUSTOMER) + 3)
    return people


def _marry(rng: random.Random, a: Person, b: Person) -> None:
    a["spouse"], b["spouse"] = b["person_id"], a["person_id"]
    if b["is_customer"] and rng.random() < SHARED_PAYER:
        b["payer_account"], b["billing_account"] = a["billing_account"], None
    if a["policies"] and a["policies"][0]["product_category"] == "car_insurance":
        a["policies"][0]["insured_driver"] = b["person_id"]


def _address(rng: random.Random) -> dict[str, str]:
    city, plz, area = rng.choice(names.CITIES)
    return {
        "street": f"{rng.choice(names.STREETS)} {rng.randint(1, 180)}",
        "postcode": f"{plz}{rng.randint(100, 999)}",
        "city": city,
        "country": "DE",
        "area_code": area,
    }


def _person(
    rng: random.Random,
    idx: int,
    hid: str,
    address: dict[str, str],
    emails: set[str],
    *,
    customer: bool,
    last_name: str | None = None,
) -> Person:
    gender = rng.choice("fm")
    first = rng.choice(names.FIRST_F if gender == "f" else names.FIRST_M)
    last = last_name or rng.choice(names.LAST)
    n = idx + 1
    p: Person = {
        "person_id": f"P{n:07d}",
        "household_id": hid,
        "index": idx,
        "first_name": first,
        "last_name": last,
        "gender": gender,
        "birth_date": _birth_date(rng),
        "street": address["street"],
        "postcode": address["postcode"],
        "city": address["city"],
        "country": "DE",
        "language": "de" if rng.random() < 0.92 else "en",
        "is_customer": customer,
        "is_prospect": False,
        "is_employee": False,
        "spouse": None,
        "email": _email(rng, first, last, emails),
        "email2": None,
        "phone": _mobile(rng, idx),
        "landline": None,
        "crm_id": None,
        "customer_number": None,
        "billing_account": None,
        "payer_account": None,
        "loyalty_card": None,
        "cookie_id": None,
        "device_id": None,
        "policies": [],
        "employee_id": None,
        "national_id": None,
        "department": None,
    }
    if rng.random() < 0.15:
        p["email2"] = _email(rng, first, last, emails)
    if rng.random() < 0.25:
        p["landline"] = f"0{address['area_code']} {(idx * 7_919 + 13) % 9_000_000 + 1_000_000}"
    if customer:
        _make_customer(rng, p)
    return p


def _make_customer(rng: random.Random, p: Person) -> None:
    n = p["index"] + 1
    p["crm_id"] = f"CRM-{n:08d}"
    p["customer_number"] = f"K{4_000_000 + n}"
    p["billing_account"] = f"BA{9_100_000 + n}"
    if rng.random() < 0.5:
        p["loyalty_card"] = f"LC{_subscriber(p['index'], 3):010d}"
    if rng.random() < 0.75:
        p["cookie_id"] = f"ck_{rng.getrandbits(64):016x}{n:x}"
    if rng.random() < 0.3:
        p["device_id"] = f"dev-{rng.getrandbits(48):012x}-{n:x}"
    if rng.random() < 0.02:
        p["national_id"] = _national_id(p["index"])
    if rng.random() < 0.45:
        category = rng.choice(("car_insurance", "car_insurance", "home_insurance", "liability"))
        p["policies"].append(
            {
                "policy_number": f"POL-{n:07d}-1",
                "product_category": category,
                "insured_driver": None,
            }
        )


def _add_prospects(rng: random.Random, people: list[Person], emails: set[str], count: int) -> None:
    for _ in range(count):
        hid = f"HP{len(people):07d}"
        person = _person(rng, len(people), hid, _address(rng), emails, customer=False)
        person["is_prospect"] = True
        people.append(person)


def _add_employees(rng: random.Random, people: list[Person], emails: set[str], count: int) -> None:
    customers = [p for p in people if p["is_customer"]]
    departments = ("sales", "service", "finance", "it", "marketing", "claims")
    for k in range(count):
        person = rng.choice(customers) if k % 3 == 0 else None  # also a customer
        if person is None or person["is_employee"]:
            person = _person(
                rng, len(people), f"HE{len(people):07d}", _address(rng), emails, customer=False
            )
            people.append(person)
        person["is_employee"] = True
        person["employee_id"] = f"E{10_000 + k}"
        person["department"] = rng.choice(departments)
        if person["national_id"] is None:
            person["national_id"] = _national_id(person["index"])


def _email(rng: random.Random, first: str, last: str, taken: set[str]) -> str:
    f, last_ascii = first.translate(names.ASCII).lower(), last.translate(names.ASCII).lower()
    styles = (f"{f}.{last_ascii}", f"{f[0]}.{last_ascii}", f"{f}{last_ascii}", f"{last_ascii}.{f}")
    local = rng.choice(styles)
    domain = rng.choice(names.MAIL_DOMAINS)
    candidate, n = f"{local}@{domain}", 1
    while candidate in taken:
        n += rng.randint(1, 97)
        candidate = f"{local}{n}@{domain}"
    taken.add(candidate)
    return candidate


def _birth_date(rng: random.Random) -> str:
    return f"{rng.randint(1945, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _national_id(idx: int) -> str:
    """An 11-digit tax id, unique per person (a bijection on 0..10^10 behind the first digit)."""
    return f"{idx % 9 + 1}{(idx * 7_919_993 + 1_234_567_891) % 10**10:010d}"


def _subscriber(idx: int, salt: int) -> int:
    """A unique 8-digit number per person index (a bijection on 0..10^8)."""
    return (idx * 7_919 + 1_234_567 + salt * 104_729) % 100_000_000


def _mobile(rng: random.Random, idx: int) -> str:
    """German mobile number, unique per person: its subscriber part is unique per index."""
    return f"0{rng.choice(names.MOBILE_PREFIXES)}{_subscriber(idx, 0):08d}"
