#!/usr/bin/env python3
"""Generate the region graph and the region-wide offers from the CBS reference tables.

Reads gemeenten.csv and pc4_gemeente.csv (CBS facts; see SOURCES.md beside them) and writes
  <out>/cbs-regio/regions.ttl          country, provinces, GGD regions, municipalities, PC4 areas
  <out>/factsheet/regional-offers.ttl  the GGDs, Nu Niet Zwanger per GGD region, the
                                       municipalities as public bodies and the prenatal home
                                       visit per municipality, each citing the passage
                                       (a kr:Justification) that states it

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
NNZ_AT_EVERY_GGD = "bron:factsheet-nnz-bij-alle-ggden"
GP_REFERS_TO_HOME_VISIT = "bron:factsheet-verwijzen-prenataal-huisbezoek"
WPG = "bron:wet-publieke-gezondheid"
HOME_VISIT_IS_MUNICIPAL_TASK = "bron:wpg-prenataal-huisbezoek"
# Municipalities whose public body the hand-written factsheet graph already describes.
HAND_WRITTEN_BODIES = {"gemeente-rotterdam"}


def literal(text, lang=None):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def ascii_fold(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")


def resource(subject, types, properties):
    """One Turtle block: `properties` is a list of (predicate, [objects]). The Dutch
    skos:prefLabel is also the schema:name, which schema.org consumers read."""
    dutch = [o for p, objects in properties if p == "skos:prefLabel" for o in objects if o.endswith('"@nl')]
    properties = properties[:1] + [("schema:name", dutch[:1])] + properties[1:]
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
            ("skos:exactMatch", [f"<https://identifier.overheid.nl/tooi/id/provincie/{code.lower()}>"]),
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
            ("skos:exactMatch", [f"<https://identifier.overheid.nl/tooi/id/gemeente/{code.lower()}>"]),
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


def justifications_block():
    """The passages that state what the region-wide resources say, one kr:Justification each:
    the sentence quoted from the factsheet, or what the law says where no text is quoted."""
    return "\n".join([
        resource(NNZ_AT_EVERY_GGD, ["kr:Justification", "kr:Source"], [
            ("skos:prefLabel", [literal("Factsheet: alle GGD'en bieden Nu Niet Zwanger aan", "nl"), literal("Factsheet: every GGD offers Nu Niet Zwanger", "en")]),
            ("dct:title", [literal("Kansrijke Start Huisartsenpraktijk, paragraaf Nu Niet Zwanger", "nl")]),
            ("schema:description", [literal("De zin uit de factsheet waarop het aanbod Nu Niet Zwanger van elke GGD in haar GGD-regio berust.", "nl")]),
            ("kr:quote", [literal("Alle GGD'en in Nederland bieden het programma NNZ aan. Als huisarts kunt u altijd verwijzen naar de GGD voor een NNZ-gesprek.", "nl")]),
            ("kr:justifies", [literal("Per GGD-regio een aanbod Nu Niet Zwanger, aangeboden door de GGD van die regio.", "nl")]),
            ("dct:isPartOf", [FACTSHEET]),
            ("dct:publisher", ["organisatie:vws"]),
        ]),
        resource(GP_REFERS_TO_HOME_VISIT, ["kr:Justification", "kr:Source"], [
            ("skos:prefLabel", [literal("Factsheet: de huisarts kan verwijzen naar een prenataal huisbezoek", "nl"), literal("Factsheet: the GP can refer to a prenatal home visit", "en")]),
            ("dct:title", [literal("Kansrijke Start Huisartsenpraktijk, paragraaf Prenataal huisbezoek JGZ", "nl")]),
            ("schema:description", [literal("De zinnen uit de factsheet over wat het prenataal huisbezoek is en dat de huisarts ernaar kan verwijzen.", "nl")]),
            ("kr:quote", [literal("Wanneer een huisarts een kwetsbare situatie signaleert, kan hij of zij, net als een geboortezorg-professional, verwijzen naar een prenataal huisbezoek JGZ of de gesignaleerde risicofactoren overdragen aan de verloskundig zorgverlener.", "nl")]),
            ("kr:justifies", [literal("Dat de huisarts naar het prenataal huisbezoek van de JGZ kan verwijzen, en wat het inhoudt.", "nl")]),
            ("dct:isPartOf", [FACTSHEET]),
            ("dct:publisher", ["organisatie:vws"]),
        ]),
        resource(WPG, ["kr:Source", "schema:Legislation"], [
            ("skos:prefLabel", [literal("Wet publieke gezondheid", "nl"), literal("Public Health Act", "en")]),
            ("skos:altLabel", [literal("Wpg", "nl")]),
            ("dct:title", [literal("Wet publieke gezondheid", "nl")]),
            ("schema:description", [literal("De wet die de taken van gemeenten in de publieke gezondheidszorg regelt, waaronder de jeugdgezondheidszorg.", "nl")]),
            ("schema:legislationResponsible", ["organisatie:vws"]),
        ]),
        resource(HOME_VISIT_IS_MUNICIPAL_TASK, ["kr:Justification", "kr:Source"], [
            ("skos:prefLabel", [literal("Wpg: het prenataal huisbezoek is een taak van elke gemeente", "nl"), literal("Public Health Act: the prenatal home visit is a task of every municipality", "en")]),
            ("dct:title", [literal("Wet publieke gezondheid, prenataal huisbezoek door de jeugdgezondheidszorg", "nl")]),
            ("schema:description", [literal("Wat de Wet publieke gezondheid over het prenataal huisbezoek zegt; hier samengevat, niet letterlijk geciteerd.", "nl")]),
            ("kr:paraphrase", [literal("Sinds 1 juli 2022 is het prenataal huisbezoek door de jeugdgezondheidszorg een wettelijke taak van elke gemeente. Het wordt uitgevoerd door de organisatie die de jeugdgezondheidszorg van de gemeente verzorgt.", "nl")]),
            ("kr:justifies", [literal("Per gemeente een aanbod prenataal huisbezoek, waarvoor die gemeente verantwoordelijk is.", "nl")]),
            ("dct:isPartOf", [WPG]),
            ("schema:legislationResponsible", ["organisatie:vws"]),
        ]),
    ])


def offers_graph(municipalities):
    blocks = [PREFIXES, """\
# Generated by scripts/gen-regions.py. Do not edit by hand. What justifies each kind of resource:
# - the GGD of each GGD region (CBS names the regions after their GGD) offers Nu Niet Zwanger in
#   it: the factsheet, "Alle GGD'en in Nederland bieden het programma NNZ aan" (bron:factsheet-nnz-bij-alle-ggden);
# - each municipality, as a public body, is responsible for the prenatal home visit of its youth
#   health care: the Wet publieke gezondheid (bron:wpg-prenataal-huisbezoek); the GP can refer to
#   it: the factsheet (bron:factsheet-verwijzen-prenataal-huisbezoek). Which organisation carries
#   it out differs per municipality and is not stated here.
""", justifications_block()]
    ggds = {row["ggd_code"]: row["ggd_name"] for row in municipalities}
    for code, name in sorted(ggds.items()):
        place = ggd_place(name)
        organisation = f"organisatie:{slug(name)}"
        blocks.append(resource(organisation, ["kr:Organisation", "schema:GovernmentOrganization"], [
            ("skos:prefLabel", [literal(name, "nl")]),
            ("skos:hiddenLabel", hidden_labels(name)),
            ("schema:description", [literal(f"De GGD (gemeentelijke gezondheidsdienst) van de GGD-regio {place}. Zoals alle GGD'en biedt zij Nu Niet Zwanger aan.", "nl")]),
            ("kr:organisationKind", ["organisatie:ggd"]),
            ("schema:areaServed", [f"ggdregio:{code.lower()}"]),
            ("dct:source", [NNZ_AT_EVERY_GGD, CBS_AREAS]),
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
            ("dct:source", [NNZ_AT_EVERY_GGD, CBS_AREAS]),
        ]))
    for row in municipalities:
        code, name = row["code"], row["name"]
        body = f"organisatie:gemeente-{slug(name)}"
        if body.split(":", 1)[1] not in HAND_WRITTEN_BODIES:
            blocks.append(resource(body, ["kr:Organisation", "schema:GovernmentOrganization"], [
                ("skos:prefLabel", [literal(f"Gemeente {name}", "nl"), literal(f"Municipality of {name}", "en")]),
                ("schema:description", [literal(f"Het bestuur van de gemeente {name}. Elke gemeente is wettelijk verantwoordelijk voor de jeugdgezondheidszorg, waaronder het prenataal huisbezoek.", "nl")]),
                ("schema:areaServed", [f"gemeente:{code.lower()}"]),
                ("dct:source", [HOME_VISIT_IS_MUNICIPAL_TASK, CBS_AREAS]),
            ]))
        blocks.append(resource(f"aanbod:prenataal-huisbezoek-{code.lower()}", ["kr:Offer", "schema:Service"], [
            ("skos:prefLabel", [literal(f"Prenataal huisbezoek JGZ in {name}", "nl"), literal(f"Prenatal home visit by youth health care in {name}", "en")]),
            ("schema:description", [literal(f"Een huisbezoek door de jeugdgezondheidszorg (JGZ) tijdens de zwangerschap voor ouders in {name}: zij maken kennis met de JGZ en krijgen waar nodig steun bij sociale risicofactoren. De gemeente {name} is ervoor verantwoordelijk; het wordt uitgevoerd door de organisatie die in {name} de jeugdgezondheidszorg verzorgt, en aangevraagd via de JGZ in uw gemeente. De huisarts kan hiernaar verwijzen als hij of zij een kwetsbare situatie signaleert.", "nl")]),
            ("kr:implements", ["programma:prenataal-huisbezoek-jgz"]),
            ("schema:provider", [body]),
            ("schema:areaServed", [f"gemeente:{code.lower()}"]),
            ("kr:forPhase", ["fase:zwangerschap"]),
            ("dct:source", [HOME_VISIT_IS_MUNICIPAL_TASK, GP_REFERS_TO_HOME_VISIT, CBS_AREAS]),
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
