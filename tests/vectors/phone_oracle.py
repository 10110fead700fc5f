#!/usr/bin/env python3
"""Regenerate the "phone" section of identity.json from libphonenumber.

The committed identity.json is the source of truth and CI never runs this
script. It exists so the phone vectors can be re-derived from the reference
implementation (Python `phonenumbers`, the libphonenumber port) instead of
being typed by hand.

    pip install phonenumbers==9.0.33   # same metadata as the Rust `phonenumber` 0.3.10+9.0.33
    python3 tests/vectors/phone_oracle.py          # phone section of identity.json
    python3 tests/vectors/phone_oracle.py --bulk   # phone_bulk.json (Rust-only agreement test)

Two kinds of cases:

* ORACLE: full numbers. libphonenumber decides: a valid number gives its E.164
  form, country code and extension; anything else is an `invalid_input` error.
* POLICY: inputs where creator-crm deliberately differs from libphonenumber,
  each with the reason. The script checks that libphonenumber indeed differs
  (or cannot judge), so a policy entry never hides a plain disagreement.
"""

import json
import pathlib
import sys

import phonenumbers

VECTORS = pathlib.Path(__file__).with_name("identity.json")

ORACLE = [
    ("(+1)3159212129", "US"),
    ("+1 650-253-0000", "US"),
    ("650.253.0000", "US"),
    ("(650) 253-0000", "US"),
    ("650-253-0000", "US"),
    ("1 (650) 253-0000", "US"),
    ("16502530000", "US"),
    ("+16502530000", "US"),
    ("+1(650)2530000", "US"),
    ("  +1 650 253 0000  ", "US"),
    ("011 44 20 7946 0958", "US"),
    ("+44 20 7946 0958", "US"),
    ("+44 (0)20 7946 0958", "US"),
    ("+33142764978", "US"),
    ("+33 1 42 76 49 78", "US"),
    ("01 42 76 49 78", "FR"),
    ("020 7946 0958", "GB"),
    ("00 33 1 42 76 49 78", "FR"),
    ("+7 800 123-45-67", "US"),
    ("8 (800) 123-45-67", "RU"),
    ("+49 30 123456", "US"),
    ("+86 138 0013 8000", "US"),
    ("+52 55 1234 5678", "US"),
    ("tel:+1-650-253-0000", "US"),
    ("\uff11\uff16\uff15\uff10\uff12\uff15\uff13\uff10\uff10\uff10\uff10", "US"),
    ("415-555-1234 x123", "US"),
    ("650-253-0000 ext. 5", "US"),
    ("+1-650-253-0000 ext 12", "US"),
    ("650 253 0000 x 123", "US"),
    ("650-253-0000 #45", "US"),
    ("+16502530000;ext=12", "US"),
    ("555-1234", "US"),
    ("+1 555 555 5555", "US"),
    ("+44 20 7946 095", "US"),
    ("2025550143", "US"),
    ("911", "US"),
    ("12345678901234567890", "US"),
    ("", "US"),
    ("abc", "US"),
    ("call me", "US"),
    ("N/A", "US"),
    ("   ", "US"),
    ("-", "US"),
    # Masks libphonenumber also refuses (creator-crm: no visible digit,
    # wrong length for +1, unassigned country code).
    ("***-***-****", "US"),
    ("(+1)832****59", "US"),
    ("(+1)832******59", "US"),
    ("+999 1234 ****", "US"),
]

MASKED_US = {"kind": "masked", "e164": None, "country_code": 1, "extension": None}
ERROR = {"error": "invalid_input", "field": "phone"}

# (input, region, expected, why creator-crm differs from libphonenumber)
POLICY = [
    ("(+1)832*****59", "US", MASKED_US, "mask: libphonenumber reads the visible digits as a wrong number"),
    ("***-***-1234", "US", MASKED_US, "mask"),
    ("+1 415-555-****", "US", MASKED_US, "mask"),
    ("415-555-xx12", "US", MASKED_US, "x run is a mask, not an extension"),
    ("XXX-XXX-1234", "US", MASKED_US, "mask"),
    ("###-###-1234", "US", MASKED_US, "mask"),
    ("1-832-\u2022\u2022\u2022-\u2022\u202259", "US", MASKED_US, "bullet mask, trunk prefix 1"),
    ("(+1) 832-***-**59", "US", MASKED_US, "mask"),
    ("+44 20 7946 ****", "US", {"kind": "masked", "e164": None, "country_code": 44, "extension": None}, "mask"),
    ("+44 (0)20 7946 ****", "US", {"kind": "masked", "e164": None, "country_code": 44, "extension": None}, "mask, trunk 0"),
    ("00 44 20 7946 0958", "US",
     {"kind": "e164", "e164": "+442079460958", "country_code": 44, "extension": None},
     "00 is read as an international prefix in every region"),
    ("0044 20 7946 0958", "US",
     {"kind": "e164", "e164": "+442079460958", "country_code": 44, "extension": None},
     "00 is read as an international prefix in every region"),
    ("1-800-FLOWERS", "US", ERROR, "letters are refused: in exports they are notes, not keypad spellings"),
    ("650 253 0000 !", "US", ERROR, "stray punctuation: the value is not just a number"),
]


def oracle(raw, region):
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return ERROR
    if not phonenumbers.is_valid_number(number):
        return ERROR
    return {
        "kind": "e164",
        "e164": phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        "country_code": number.country_code,
        "extension": number.extension or None,
    }


def vector(raw, region, expected):
    v = {"input": raw, "region": region}
    if "error" in expected:
        v.update(expected)
    else:
        v["output"] = expected
    return v


BULK = pathlib.Path(__file__).with_name("phone_bulk.json")


def bulk_cases():
    """Deterministic full numbers in many layouts: every region's example
    numbers (international, national, E.164, read at home and from the US),
    plus random digit strings in US layouts, most of them invalid."""
    import random

    rng = random.Random(7)
    fmt = phonenumbers.PhoneNumberFormat
    cases = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            cases.append((phonenumbers.format_number(example, fmt.INTERNATIONAL), "US"))
            cases.append((phonenumbers.format_number(example, fmt.NATIONAL), region))
    for _ in range(600):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice([7, 10, 10, 10, 11, 12])))
        layout = rng.randrange(4)
        if layout == 0:
            raw = digits
        elif layout == 1:
            raw = "+" + digits
        elif layout == 2 and len(digits) == 10:
            raw = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
        else:
            raw = f"+1 {digits}"
        cases.append((raw, rng.choice(["US", "US", "GB", "FR", "DE", "MX", "BR", "IN"])))
    return cases


def write_bulk():
    out = []
    for raw, region in bulk_cases():
        result = oracle(raw, region)
        out.append({"input": raw, "region": region, "e164": result.get("e164")})
    lines = ",\n".join(json.dumps(case, ensure_ascii=False) for case in out)
    BULK.write_text("[\n" + lines + "\n]\n", encoding="utf-8")
    print(f"wrote {len(out)} bulk phone cases to {BULK}")


def main():
    if "--bulk" in sys.argv:
        write_bulk()
        return
    if phonenumbers.__version__ != "9.0.33":
        print(f"warning: phonenumbers {phonenumbers.__version__}, the Rust crate has 9.0.33 metadata", file=sys.stderr)
    out = [vector(raw, region, oracle(raw, region)) for raw, region in ORACLE]
    for raw, region, expected, why in POLICY:
        if oracle(raw, region) == expected:
            sys.exit(f"policy case agrees with libphonenumber, move it to ORACLE: {raw!r} ({why})")
        out.append(vector(raw, region, expected))
    data = json.loads(VECTORS.read_text(encoding="utf-8"))
    data["phone"] = out
    VECTORS.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(out)} phone vectors to {VECTORS}")


if __name__ == "__main__":
    main()
