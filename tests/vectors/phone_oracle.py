#!/usr/bin/env python3
"""Regenerate the "phone" section of identity.json from libphonenumber.

The committed identity.json is the source of truth and CI never runs this
script. It exists so the phone vectors can be re-derived from the reference
implementation (Python `phonenumbers`, the libphonenumber port) instead of
being typed by hand.

    python3 -m venv /tmp/pn && /tmp/pn/bin/pip install phonenumbers==X.Y.Z
    /tmp/pn/bin/python tests/vectors/phone_oracle.py --metadata  # core's number-plan metadata
    /tmp/pn/bin/python tests/vectors/phone_oracle.py             # phone section of identity.json
    /tmp/pn/bin/python tests/vectors/phone_oracle.py --bulk      # phone_bulk.json (Rust-only agreement test)

All three come from the same release, so core reads numbers with exactly the
metadata the vectors were made with: `--metadata` writes
core/src/identity/phone/metadata.xml, libphonenumber's PhoneNumberMetadata.xml
as the `phonenumbers` package ships it (built, without formatting rules), and
the vectors record that release in `phone_metadata`; a core test fails when
its metadata is older than the vectors'.

Two kinds of cases:

* ORACLE: full numbers. libphonenumber decides: a valid number gives its E.164
  form, country code and extension; anything else is an `invalid_input` error.
* POLICY: inputs where creator-crm deliberately differs from libphonenumber,
  each with the reason. The script checks that libphonenumber indeed differs
  (or cannot judge), so a policy entry never hides a plain disagreement.
"""

import json
import pathlib
import re
import sys

import phonenumbers

VECTORS = pathlib.Path(__file__).with_name("identity.json")
METADATA = pathlib.Path(__file__).parents[2] / "core/src/identity/phone/metadata.xml"

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
    # Area codes opened after metadata 9.0.33, and numbers older metadata accepted.
    ("(273) 234-5678", "US"),
    ("+1 274 234 5678", "US"),
    ("+86101234567", "US"),
    ("+97233142764978", "US"),
    # Vanity numbers and repeated plus signs, as libphonenumber reads them.
    ("1-800-FLOWERS", "US"),
    ("1 800 GOT JUNK", "US"),
    ("++1 415 555 2671", "US"),
    ("415-555-1234 call me", "US"),
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

def masked(country_code, prefix, suffix, national_length=10):
    """A masked number: what is visible, as every binding reports it."""
    return {
        "kind": "masked",
        "e164": None,
        "country_code": country_code,
        "extension": None,
        "masked_prefix": prefix,
        "masked_suffix": suffix,
        "national_length": national_length,
    }

ERROR = {"error": "invalid_input", "field": "phone"}

# (input, region, expected, why creator-crm differs from libphonenumber)
POLICY = [
    ("(+1)832*****59", "US", masked(1, "832", "59"), "mask: libphonenumber reads the visible digits as a wrong number"),
    ("***-***-1234", "US", masked(1, "", "1234"), "mask"),
    ("+1 415-555-****", "US", masked(1, "415555", ""), "mask"),
    ("415-555-xx12", "US", masked(1, "415555", "12"), "x run is a mask, not an extension"),
    ("XXX-XXX-1234", "US", masked(1, "", "1234"), "mask"),
    ("###-###-1234", "US", masked(1, "", "1234"), "mask"),
    ("1-832-\u2022\u2022\u2022-\u2022\u202259", "US", masked(1, "832", "59"), "bullet mask, trunk prefix 1"),
    ("(+1) 832-***-**59", "US", masked(1, "832", "59"), "mask"),
    ("+44 20 7946 ****", "US", masked(44, "207946", ""), "mask"),
    ("+44 (0)20 7946 ****", "US", masked(44, "207946", ""), "mask, trunk 0"),
    ("00 44 20 7946 0958", "US",
     {"kind": "e164", "e164": "+442079460958", "country_code": 44, "extension": None},
     "00 is read as an international prefix in every region"),
    ("0044 20 7946 0958", "US",
     {"kind": "e164", "e164": "+442079460958", "country_code": 44, "extension": None},
     "00 is read as an international prefix in every region"),
    ("415 555 1234 a", "US", ERROR, "stray letters (not a vanity number) are refused, libphonenumber drops them"),
    ("Tel 415 555 1234", "US", ERROR, "letters before the number are refused, libphonenumber skips them"),
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
    # Every North American area code, with an exchange and line that are valid
    # wherever the area code is in service.
    for npa in range(200, 1000):
        cases.append((f"({npa}) 234-5678", "US"))
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


# Descriptor elements of PhoneNumberMetadata.xml, by `phonenumbers` attribute.
DESCRIPTORS = [
    ("general_desc", "generalDesc"),
    ("fixed_line", "fixedLine"),
    ("mobile", "mobile"),
    ("toll_free", "tollFree"),
    ("premium_rate", "premiumRate"),
    ("shared_cost", "sharedCost"),
    ("personal_number", "personalNumber"),
    ("voip", "voip"),
    ("pager", "pager"),
    ("uan", "uan"),
    ("emergency", "emergency"),
    ("voicemail", "voicemail"),
    ("no_international_dialling", "noInternationalDialling"),
]

# Territory attributes, by `phonenumbers` attribute.
ATTRIBUTES = [
    ("id", "id"),
    ("country_code", "countryCode"),
    ("main_country_for_code", "mainCountryForCode"),
    ("leading_digits", "leadingDigits"),
    ("international_prefix", "internationalPrefix"),
    ("preferred_international_prefix", "preferredInternationalPrefix"),
    ("national_prefix", "nationalPrefix"),
    ("national_prefix_for_parsing", "nationalPrefixForParsing"),
    ("national_prefix_transform_rule", "nationalPrefixTransformRule"),
    ("preferred_extn_prefix", "preferredExtnPrefix"),
    ("mobile_number_portable_region", "mobileNumberPortableRegion"),
]


def write_metadata():
    """Writes the territories of the installed `phonenumbers` release in the
    layout of libphonenumber's PhoneNumberMetadata.xml: every calling code's
    regions in libphonenumber's order (the order shared codes are read in),
    number patterns and possible lengths, no formatting rules."""
    import xml.etree.ElementTree as ET

    root = ET.Element("phoneNumberMetadata", {"version": phonenumbers.__version__})
    territories = ET.SubElement(root, "territories")
    for cc, regions in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items()):
        for region in regions:
            if region == "001":
                meta = phonenumbers.PhoneMetadata.metadata_for_nongeo_region(cc)
            else:
                meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
            if meta is None:
                sys.exit(f"no metadata for {region} (+{cc})")
            attrs = {}
            for attr, name in ATTRIBUTES:
                value = getattr(meta, attr)
                if value is None or value is False:
                    continue
                if value is True:
                    value = "true"
                if attr == "national_prefix_transform_rule":
                    # Python spells group references \\1; the XML (and core) $1.
                    value = re.sub(r"\\(\d)", r"$\1", value)
                attrs[name] = str(value)
            territory = ET.SubElement(territories, "territory", attrs)
            for attr, name in DESCRIPTORS:
                desc = getattr(meta, attr)
                if desc is None or desc.national_number_pattern is None:
                    continue
                element = ET.SubElement(territory, name)
                lengths = {}
                if desc.possible_length:
                    lengths["national"] = ",".join(str(n) for n in desc.possible_length)
                if desc.possible_length_local_only:
                    lengths["localOnly"] = ",".join(str(n) for n in desc.possible_length_local_only)
                if lengths:
                    ET.SubElement(element, "possibleLengths", lengths)
                ET.SubElement(element, "nationalNumberPattern").text = desc.national_number_pattern
    ET.indent(root, space=" ")
    header = (
        "<!-- libphonenumber number-plan metadata, release "
        + phonenumbers.__version__
        + ", as the Python `phonenumbers` package of that release ships it.\n"
        "     Copyright (C) 2009 The Libphonenumber Authors, Apache License 2.0.\n"
        "     Generated by tests/vectors/phone_oracle.py --metadata; do not edit. -->\n"
    )
    METADATA.write_text(header + ET.tostring(root, encoding="unicode") + "\n", encoding="utf-8")
    print(f"wrote phonenumbers {phonenumbers.__version__} metadata to {METADATA}")


def main():
    if "--metadata" in sys.argv:
        write_metadata()
        return
    if "--bulk" in sys.argv:
        write_bulk()
        return
    out = [vector(raw, region, oracle(raw, region)) for raw, region in ORACLE]
    for raw, region, expected, why in POLICY:
        if oracle(raw, region) == expected:
            sys.exit(f"policy case agrees with libphonenumber, move it to ORACLE: {raw!r} ({why})")
        out.append(vector(raw, region, expected))
    data = json.loads(VECTORS.read_text(encoding="utf-8"))
    data["phone"] = out
    # The release the phone vectors come from: core's metadata must not be older.
    data["phone_metadata"] = {"source": "phonenumbers", "version": phonenumbers.__version__}
    VECTORS.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(out)} phone vectors to {VECTORS}")


if __name__ == "__main__":
    main()
