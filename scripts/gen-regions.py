#!/usr/bin/env python3
"""Generate the region graph and the region-wide offers from the CBS reference tables.

Reads gemeenten.csv and pc4_gemeente.csv (CBS facts; see SOURCES.md beside them) and writes
  <out>/cbs-regio/regions.ttl          country, provinces, GGD regions, municipalities, PC4 areas
  <out>/factsheet/regional-offers.ttl  the GGDs, Nu Niet Zwanger per GGD region and the
                                       prenatal home visit of the JGZ per municipality

The product embeds the output; it never reads the reference tables at run time.
Usage: scripts/gen-regions.py --reference ../shared/reference --out graph-data
"""

import argparse
import csv
import re
import unicodedata
from pathlib import Path

PREFIXES = """\
@prefix kr: <https://w3id.org/kansrijk/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix land: <https://w3id.org/kansrijk/id/land/> .
@prefix provincie: <https://w3id.org/kansrijk/id/provincie/> .
@prefix ggdregio: <https://w3id.org/kansrijk/id/ggd-regio/> .
@prefix gemeente: <https://w3id.org/kansrijk/id/gemeente/> .
@prefix postcode: <https://w3id.org/kansrijk/id/postcode/> .
@prefix organisatie: <https://w3id.org/kansrijk/id/organisatie/> .
@prefix bron: <https://w3id.org/kansrijk/id/bron/> .
@prefix aanbod: <https://w3id.org/kansrijk/id/aanbod/> .
@prefix programma: <https://w3id.org/kansrijk/id/programma/> .
@prefix thema: <https://w3id.org/kansrijk/id/thema/> .
@prefix fase: <https://w3id.org/kansrijk/id/fase/> .
@prefix rol: <https://w3id.org/kansrijk/id/rol/> .
"""

# Names a GP types where the official CBS name differs.
EVERYDAY_NAMES = {
    "GM0518": ["Den Haag"],
    "GM0796": ["Den Bosch"],
    "GM0820": ["Nuenen"],
    "GM0373": ["Bergen (Noord-Holland)", "Bergen NH"],
    "GM0893": ["Bergen (Limburg)", "Bergen L"],
}
ENGLISH_NAMES = {"GM0518": "The Hague"}

PROVINCE_ENGLISH = {
    "PV20": "Groningen", "PV21": "Friesland", "PV22": "Drenthe", "PV23": "Overijssel",
    "PV24": "Flevoland", "PV25": "Gelderland", "PV26": "Utrecht", "PV27": "North Holland",
    "PV28": "South Holland", "PV29": "Zeeland", "PV30": "North Brabant", "PV31": "Limburg",
}
PROVINCE_EVERYDAY = {"PV21": ["Friesland"], "PV30": ["Brabant"]}

CBS_AREAS = "bron:cbs-gebieden-2025"
CBS_POSTCODES = "bron:cbs-postcode-2024"
FACTSHEET = "bron:factsheet-huisartsenpraktijk"


def literal(text, lang=None):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def ascii_fold(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")


def resource(subject, types, properties):
    """One Turtle block: `properties` is a list of (predicate, [objects])."""
    lines = [f"{subject} a {', '.join(types)} ;"]
    for predicate, objects in properties:
        if objects:
            lines.append(f"    {predicate} {', '.join(objects)} ;")
    lines[-1] = lines[-1][:-2] + " ."
    return "\n".join(lines) + "\n"


def hidden_labels(name):
    """Spellings without accents or apostrophes, as typed on a keyboard in a hurry."""
    variants = {ascii_fold(name), ascii_fold(name).replace("'", "")}
    variants.discard(name)
    return [literal(v, "nl") for v in sorted(variants)]


def ggd_place(ggd_name):
    """'GGD Regio Utrecht' -> 'Utrecht', 'GGD Amsterdam' -> 'Amsterdam'."""
    return re.sub(r"^GGD (Regio )?", "", ggd_name)


def sources_block():
    return "\n".join([
        resource("organisatie:cbs", ["kr:Organisation", "schema:GovernmentOrganization"], [
            ("skos:prefLabel", [literal("Centraal Bureau voor de Statistiek", "nl"), literal("Statistics Netherlands", "en")]),
            ("skos:altLabel", [literal("CBS", "nl")]),
            ("schema:description", [literal("Het statistiekbureau van de Nederlandse overheid. Het legt de gebiedsindelingen vast waarop de regio's in deze graaf zijn gebaseerd: gemeenten, GGD-regio's, provincies en postcodegebieden.", "nl")]),
            ("dct:source", [CBS_AREAS]),
        ]),
        resource(CBS_AREAS, ["kr:Source", "schema:Dataset"], [
            ("skos:prefLabel", [literal("CBS-gebiedsindelingen 2025", "nl"), literal("CBS area classifications 2025", "en")]),
            ("dct:title", [literal("Gebiedsindelingen 2025: gemeenten, GGD-regio's en provincies", "nl")]),
            ("schema:description", [literal("De indeling van Nederland in 342 gemeenten, 25 GGD-regio's en 12 provincies per 2025, met hun CBS-codes en welke gemeente in welke GGD-regio en provincie ligt. Open data van het CBS.", "nl")]),
            ("dct:publisher", ["organisatie:cbs"]),
            ("dct:issued", ['"2025"^^xsd:gYear']),
            ("dct:license", ["<https://creativecommons.org/licenses/by/4.0/>"]),
        ]),
        resource(CBS_POSTCODES, ["kr:Source", "schema:Dataset"], [
            ("skos:prefLabel", [literal("CBS buurt, wijk en gemeente 2024 voor postcode huisnummer", "nl")]),
            ("dct:title", [literal("Buurt, wijk en gemeente 2024 voor postcode huisnummer", "nl")]),
            ("schema:description", [literal("Koppeling van adressen aan gemeenten per 2024. Elk postcodegebied (PC4) is hier toegewezen aan de gemeente waarin de meeste van zijn adressen liggen. Open data van het CBS.", "nl")]),
            ("dct:publisher", ["organisatie:cbs"]),
            ("dct:issued", ['"2024"^^xsd:gYear']),
            ("dct:license", ["<https://creativecommons.org/licenses/by/4.0/>"]),
        ]),
    ])


def regions_graph(municipalities, postcodes):
    blocks = [PREFIXES, "# Generated by scripts/gen-regions.py from CBS open data. Do not edit by hand.\n", sources_block()]
    blocks.append(resource("land:nl", ["kr:Country", "kr:Region", "schema:Country"], [
        ("skos:prefLabel", [literal("Nederland", "nl"), literal("the Netherlands", "en")]),
        ("skos:altLabel", [literal("landelijk", "nl"), literal("heel Nederland", "nl"), literal("nationaal", "nl")]),
        ("dct:identifier", [literal("NL")]),
        ("dct:source", [CBS_AREAS]),
    ]))
    provinces = {row["province_code"]: row["province_name"] for row in municipalities}
    for code, name in sorted(provinces.items()):
        blocks.append(resource(f"provincie:{code.lower()}", ["kr:Province", "kr:Region", "schema:AdministrativeArea"], [
            ("skos:prefLabel", [literal(name, "nl"), literal(PROVINCE_ENGLISH[code], "en")]),
            ("kr:everydayName", [literal(n, "nl") for n in PROVINCE_EVERYDAY.get(code, [])]),
            ("skos:altLabel", [literal(f"provincie {name}", "nl")] + [literal(n, "nl") for n in PROVINCE_EVERYDAY.get(code, [])]),
            ("skos:hiddenLabel", hidden_labels(name)),
            ("dct:identifier", [literal(code)]),
            ("schema:containedInPlace", ["land:nl"]),
            ("owl:sameAs", [f"<https://identifier.overheid.nl/tooi/id/provincie/{code.lower()}>"]),
            ("dct:source", [CBS_AREAS]),
        ]))
    ggds = {row["ggd_code"]: (row["ggd_name"], row["province_code"]) for row in municipalities}
    for code, (name, province) in sorted(ggds.items()):
        place = ggd_place(name)
        blocks.append(resource(f"ggdregio:{code.lower()}", ["kr:GGDRegion", "kr:Region", "schema:AdministrativeArea"], [
            ("skos:prefLabel", [literal(f"GGD-regio {place}", "nl"), literal(f"GGD region {place}", "en")]),
            ("skos:altLabel", [literal(name, "nl"), literal(f"regio {place}", "nl")]),
            ("skos:hiddenLabel", hidden_labels(f"GGD-regio {place}")),
            ("dct:identifier", [literal(code)]),
            ("schema:containedInPlace", [f"provincie:{province.lower()}"]),
            ("dct:source", [CBS_AREAS]),
        ]))
    for row in municipalities:
        code, name = row["code"], row["name"]
        everyday = EVERYDAY_NAMES.get(code, [])
        english = [literal(ENGLISH_NAMES[code], "en")] if code in ENGLISH_NAMES else []
        blocks.append(resource(f"gemeente:{code.lower()}", ["kr:Municipality", "kr:Region", "schema:AdministrativeArea"], [
            ("skos:prefLabel", [literal(name, "nl")] + english),
            ("kr:everydayName", [literal(n, "nl") for n in everyday]),
            ("skos:altLabel", [literal(n, "nl") for n in everyday] + [literal(f"gemeente {name}", "nl")]),
            ("skos:hiddenLabel", hidden_labels(name)),
            ("dct:identifier", [literal(code)]),
            ("schema:containedInPlace", [f"ggdregio:{row['ggd_code'].lower()}", f"provincie:{row['province_code'].lower()}"]),
            ("owl:sameAs", [f"<https://identifier.overheid.nl/tooi/id/gemeente/{code.lower()}>"]),
            ("dct:source", [CBS_AREAS]),
        ]))
    for pc4, municipality in postcodes:
        blocks.append(resource(f"postcode:{pc4}", ["kr:PostcodeArea", "kr:Region"], [
            ("skos:prefLabel", [literal(f"postcodegebied {pc4}", "nl")]),
            ("dct:identifier", [literal(pc4)]),
            ("schema:containedInPlace", [f"gemeente:{municipality.lower()}"]),
            ("dct:source", [CBS_POSTCODES]),
        ]))
    return "\n".join(blocks)


def offers_graph(municipalities):
    blocks = [PREFIXES, "# Generated by scripts/gen-regions.py: offers the factsheet makes true in every region.\n"]
    ggds = {row["ggd_code"]: row["ggd_name"] for row in municipalities}
    for code, name in sorted(ggds.items()):
        place = ggd_place(name)
        organisation = f"organisatie:{slug(name)}"
        blocks.append(resource(organisation, ["kr:Organisation", "schema:GovernmentOrganization"], [
            ("skos:prefLabel", [literal(name, "nl")]),
            ("skos:hiddenLabel", hidden_labels(name)),
            ("schema:description", [literal(f"De GGD (gemeentelijke gezondheidsdienst) van de GGD-regio {place}. Zoals alle GGD'en biedt zij Nu Niet Zwanger aan.", "nl")]),
            ("schema:parentOrganization", ["organisatie:ggd"]),
            ("schema:areaServed", [f"ggdregio:{code.lower()}"]),
            ("dct:source", [FACTSHEET, CBS_AREAS]),
        ]))
        blocks.append(resource(f"aanbod:nu-niet-zwanger-{slug(place)}", ["kr:Offer", "schema:Service"], [
            ("skos:prefLabel", [literal(f"Nu Niet Zwanger bij {name}", "nl"), literal(f"Nu Niet Zwanger at {name}", "en")]),
            ("skos:altLabel", [literal(f"NNZ-gesprek {name}", "nl")]),
            ("schema:description", [literal(f"{name} biedt in haar regio het programma Nu Niet Zwanger aan: actieve begeleiding voor vrouwen en mannen in kwetsbare omstandigheden, te beginnen met een open gesprek over kinderwens, seksualiteit en anticonceptie. De huisarts kan altijd naar de GGD verwijzen voor een NNZ-gesprek.", "nl")]),
            ("kr:implements", ["programma:nu-niet-zwanger"]),
            ("schema:provider", [organisation]),
            ("schema:areaServed", [f"ggdregio:{code.lower()}"]),
            ("kr:theme", ["thema:kinderwens"]),
            ("kr:forPhase", ["fase:preconceptie"]),
            ("dct:source", [FACTSHEET, CBS_AREAS]),
        ]))
    for row in municipalities:
        code, name = row["code"], row["name"]
        blocks.append(resource(f"aanbod:prenataal-huisbezoek-{code.lower()}", ["kr:Offer", "schema:Service"], [
            ("skos:prefLabel", [literal(f"Prenataal huisbezoek JGZ in {name}", "nl"), literal(f"Prenatal home visit by youth health care in {name}", "en")]),
            ("schema:description", [literal(f"Een huisbezoek door de jeugdgezondheidszorg (JGZ) tijdens de zwangerschap voor ouders in {name}: zij maken kennis met de JGZ en krijgen waar nodig steun bij sociale risicofactoren. De huisarts kan hiernaar verwijzen als hij of zij een kwetsbare situatie signaleert.", "nl")]),
            ("kr:implements", ["programma:prenataal-huisbezoek-jgz"]),
            ("schema:provider", ["organisatie:jgz"]),
            ("schema:areaServed", [f"gemeente:{code.lower()}"]),
            ("kr:forPhase", ["fase:zwangerschap"]),
            ("dct:source", [FACTSHEET, CBS_AREAS]),
        ]))
    return "\n".join(blocks)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", type=Path, required=True, help="folder with gemeenten.csv and pc4_gemeente.csv")
    parser.add_argument("--out", type=Path, required=True, help="the graph-data folder")
    args = parser.parse_args()
    with open(args.reference / "gemeenten.csv", newline="", encoding="utf-8") as f:
        municipalities = sorted(csv.DictReader(f), key=lambda row: row["code"])
    with open(args.reference / "pc4_gemeente.csv", newline="", encoding="utf-8") as f:
        postcodes = sorted((row["pc4"], row["gemeente_code"]) for row in csv.DictReader(f))
    for folder, name, text in [
        ("cbs-regio", "regions.ttl", regions_graph(municipalities, postcodes)),
        ("factsheet", "regional-offers.ttl", offers_graph(municipalities)),
    ]:
        (args.out / folder).mkdir(parents=True, exist_ok=True)
        (args.out / folder / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
