//! The embedded graph-data as users see it through SPARQL: regions equal the CBS reference
//! tables, every resource is sourced and labelled, and the factsheet's items are present.

use std::collections::{BTreeMap, BTreeSet};

mod common;
use common::{embedded_store, select};

#[test]
fn regions_match_the_cbs_reference_tables() {
    let store = embedded_store();
    let rows = select(
        &store,
        "SELECT ?code ?name ?ggd ?province ?tooi WHERE {
           ?m a kr:Municipality ; dct:identifier ?code ; skos:prefLabel ?name ;
              schema:containedInPlace ?g, ?p ; skos:exactMatch ?tooi .
           FILTER(lang(?name) = 'nl')
           ?g a kr:GGDRegion ; dct:identifier ?ggd .
           ?p a kr:Province ; dct:identifier ?province .
         }",
    );
    let ours: BTreeMap<String, (String, String, String, String)> = rows
        .into_iter()
        .map(|row| (row["code"].clone(), (row["name"].clone(), row["ggd"].clone(), row["province"].clone(), row["tooi"].clone())))
        .collect();
    let reference = common::csv_rows(&common::reference_dir().join("gemeenten.csv"));
    assert_eq!(reference.len(), 342);
    assert_eq!(ours.len(), 342, "every municipality with one GGD region, one province and a TOOI link");
    for row in &reference {
        let (code, name, province, ggd) = (&row[0], &row[1], &row[2], &row[4]);
        let Some((our_name, our_ggd, our_province, tooi)) = ours.get(code) else {
            panic!("municipality {code} ({name}) is missing");
        };
        assert_eq!(our_name, name, "name of {code}");
        assert_eq!(our_ggd, ggd, "GGD region of {code} {name}");
        assert_eq!(our_province, province, "province of {code} {name}");
        assert_eq!(tooi, &format!("https://identifier.overheid.nl/tooi/id/gemeente/{}", code.to_lowercase()));
    }
}

#[test]
fn region_counts_and_codes() {
    let store = embedded_store();
    for (class, pattern, expected) in
        [("kr:Municipality", "^GM[0-9]{4}$", 342), ("kr:GGDRegion", "^GG[0-9]{4}$", 25), ("kr:Province", "^PV[0-9]{2}$", 12)]
    {
        let rows = select(&store, &format!("SELECT DISTINCT ?r ?code WHERE {{ ?r a {class} ; dct:identifier ?code }}"));
        assert_eq!(rows.len(), expected, "{class}");
        let regex_rows = select(
            &store,
            &format!("SELECT ?r WHERE {{ ?r a {class} ; dct:identifier ?code FILTER(!REGEX(?code, '{pattern}')) }}"),
        );
        assert!(regex_rows.is_empty(), "{class} codes not matching {pattern}: {regex_rows:?}");
    }
    let provinces = select(&store, "SELECT ?p ?tooi WHERE { ?p a kr:Province ; dct:identifier ?c ; skos:exactMatch ?tooi }");
    assert_eq!(provinces.len(), 12);
    for row in provinces {
        assert!(row["tooi"].starts_with("https://identifier.overheid.nl/tooi/id/provincie/pv"), "{row:?}");
    }
}

#[test]
fn every_postcode_lies_in_its_municipality() {
    let store = embedded_store();
    let ours: BTreeMap<String, String> = select(
        &store,
        "SELECT ?pc ?gm WHERE { ?a a kr:PostcodeArea ; dct:identifier ?pc ; schema:containedInPlace ?m . ?m a kr:Municipality ; dct:identifier ?gm }",
    )
    .into_iter()
    .map(|row| (row["pc"].clone(), row["gm"].clone()))
    .collect();
    let reference = common::csv_rows(&common::reference_dir().join("pc4_gemeente.csv"));
    assert_eq!(ours.len(), reference.len(), "one postcode area per PC4 of the reference table");
    for row in reference {
        assert_eq!(ours.get(&row[0]), Some(&row[1]), "PC4 {}", row[0]);
    }
}

#[test]
fn everyday_place_names_are_labels() {
    let store = embedded_store();
    for (everyday, code) in [("Den Haag", "GM0518"), ("Den Bosch", "GM0796")] {
        let rows = select(
            &store,
            &format!("SELECT ?m WHERE {{ ?m dct:identifier '{code}' ; skos:altLabel ?l FILTER(STR(?l) = '{everyday}') }}"),
        );
        assert_eq!(rows.len(), 1, "{everyday} names {code}");
    }
}

#[test]
fn every_resource_is_sourced_labelled_and_described() {
    let store = embedded_store();
    let problems = select(
        &store,
        "SELECT DISTINCT ?r ?problem WHERE {
           ?r a ?type .
           FILTER(STRSTARTS(STR(?r), 'https://w3id.org/kansrijk/id/'))
           FILTER NOT EXISTS { ?type <http://www.w3.org/2000/01/rdf-schema#subClassOf>* kr:Region }
           FILTER(?type NOT IN (kr:Region, kr:Municipality, kr:GGDRegion, kr:Province, kr:PostcodeArea, kr:Country, schema:Country, schema:AdministrativeArea, schema:Place))
           {
             FILTER NOT EXISTS { ?r dct:source ?source } BIND('no dct:source' AS ?problem)
           } UNION {
             FILTER NOT EXISTS { ?r skos:prefLabel ?label FILTER(lang(?label) = 'nl') } BIND('no Dutch skos:prefLabel' AS ?problem)
           } UNION {
             FILTER NOT EXISTS { ?r schema:description ?description } BIND('no schema:description' AS ?problem)
           }
         }",
    );
    assert!(problems.is_empty(), "{} problems, e.g. {:?}", problems.len(), &problems[..problems.len().min(10)]);
}

#[test]
fn the_factsheet_items_are_resources() {
    let store = embedded_store();
    let labels: BTreeSet<String> = select(&store, "SELECT ?l WHERE { ?r skos:prefLabel|skos:altLabel ?l }")
        .into_iter()
        .map(|row| row["l"].to_lowercase())
        .collect();
    for item in [
        "zorgpadentool kansrijke start",
        "zwangerwijzer",
        "nu niet zwanger",
        "kansenkaart",
        "atlas kwetsbaarheid",
        "geldfit",
        "rookvrije start",
        "alcoholvrije start",
        "toolkit mentaal gezonde start",
        "sociale kaart nederland",
        "mind-atlas",
        "rivm",
        "nhg",
        "lhv",
        "stress",
        "geldzorgen",
        "mondzorg",
        "tienerzwangerschap",
        "nieuwkomers",
    ] {
        assert!(labels.iter().any(|label| label.contains(item)), "no resource labelled like {item:?}");
    }
    let figures = select(&store, "SELECT ?f WHERE { ?f a kr:Figure ; dct:source ?s }");
    assert!(figures.len() >= 6, "the factsheet's figures are data: found {}", figures.len());
    let nnz_offers = select(
        &store,
        "SELECT ?o ?area WHERE { ?o a kr:Offer ; kr:implements <https://w3id.org/kansrijk/id/programma/nu-niet-zwanger> ; schema:areaServed ?area . ?area a kr:GGDRegion }",
    );
    assert_eq!(nnz_offers.len(), 25, "Nu Niet Zwanger is offered by every GGD in its region");
}

#[test]
fn every_linked_resource_exists() {
    let store = embedded_store();
    let dangling = select(
        &store,
        "SELECT DISTINCT ?s ?p ?o WHERE {
           ?s ?p ?o .
           FILTER(isIRI(?o) && STRSTARTS(STR(?o), 'https://w3id.org/kansrijk/id/'))
           FILTER NOT EXISTS { ?o a ?type }
         }",
    );
    assert!(dangling.is_empty(), "links to undefined resources: {dangling:?}");
}

/// The text of a source document as a reader sees it: link and emphasis marks left out, runs
/// of white space as one space.
fn source_text(file: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sources").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let text = text.replace("](#)", "").replace(['[', ']'], "").replace("**", "");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_cited_source_is_a_source() {
    let store = embedded_store();
    let strays = select(
        &store,
        "SELECT DISTINCT ?r ?source WHERE { ?r dct:source ?source FILTER NOT EXISTS { ?source a kr:Source ; dct:title ?title } }",
    );
    assert!(strays.is_empty(), "cited but not a kr:Source with a title: {strays:?}");
}

#[test]
fn every_justification_quotes_or_paraphrases_its_source() {
    let store = embedded_store();
    let justifications = select(
        &store,
        "SELECT ?j ?passage ?quoted ?document ?justifies WHERE {
           ?j a kr:Justification ; dct:isPartOf ?document ; kr:justifies ?justifies .
           ?document a kr:Source .
           { ?j kr:quote ?passage BIND(true AS ?quoted) } UNION { ?j kr:paraphrase ?passage BIND(false AS ?quoted) }
         }",
    );
    assert!(justifications.len() >= 3, "the region-wide resources rest on passages: {justifications:?}");
    let factsheet = source_text("factsheet-huisartsenpraktijk.md");
    for row in justifications.iter().filter(|row| row["quoted"] == "true") {
        assert_eq!(row["document"], "https://w3id.org/kansrijk/id/bron/factsheet-huisartsenpraktijk", "{row:?}");
        assert!(
            factsheet.contains(row["passage"].as_str()),
            "{} quotes what the factsheet does not say: {:?}",
            row["j"],
            row["passage"]
        );
    }
}

#[test]
fn every_regional_offer_rests_on_a_passage_that_states_it() {
    let store = embedded_store();
    let unjustified = select(
        &store,
        "SELECT DISTINCT ?offer WHERE {
           ?offer a kr:Offer ; schema:areaServed ?area .
           ?area a ?regional FILTER(?regional IN (kr:Municipality, kr:GGDRegion))
           FILTER NOT EXISTS { ?offer dct:source ?passage . ?passage a kr:Justification }
         }",
    );
    assert!(unjustified.is_empty(), "{} regional offers cite no passage, e.g. {:?}", unjustified.len(), unjustified.first());
    let home_visits = select(
        &store,
        "SELECT ?offer ?provider WHERE {
           ?offer kr:implements <https://w3id.org/kansrijk/id/programma/prenataal-huisbezoek-jgz> ;
                  schema:areaServed ?municipality ; schema:provider ?provider .
           ?provider a kr:Organisation ; schema:areaServed ?municipality .
           ?municipality a kr:Municipality .
         }",
    );
    assert_eq!(home_visits.len(), 342, "every municipality's home visit is provided by that municipality");
}

#[test]
fn no_area_is_declared_the_same_as_a_public_body() {
    let store = embedded_store();
    let same = select(
        &store,
        "SELECT ?r ?other WHERE { ?r owl:sameAs ?other FILTER(STRSTARTS(STR(?other), 'https://identifier.overheid.nl/tooi/')) }",
    );
    assert!(same.is_empty(), "owl:sameAs merges an area with the public body TOOI names: {:?}", same.first());
}

#[test]
fn every_generated_resource_cites_the_passage_it_rests_on() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/graph-data/factsheet/regional-offers.ttl");
    let generated = oxigraph::store::Store::new().expect("in-memory store");
    let turtle = std::fs::read(path).expect("the generated offers");
    generated.load_from_reader(oxigraph::io::RdfFormat::Turtle, turtle.as_slice()).expect("parses");
    let passages = select(&generated, "SELECT ?j WHERE { ?j a kr:Justification }");
    assert!(passages.len() >= 3, "the generator writes the passages it cites: {passages:?}");
    let unjustified = select(
        &generated,
        "SELECT ?r WHERE {
           ?r dct:source ?any FILTER NOT EXISTS { ?r a kr:Source }
           FILTER NOT EXISTS { ?r dct:source ?passage . ?passage a kr:Justification }
         }",
    );
    assert!(unjustified.is_empty(), "generated resources that cite no passage: {unjustified:?}");
    let whole_documents =
        select(&generated, "SELECT ?r WHERE { ?r dct:source <https://w3id.org/kansrijk/id/bron/factsheet-huisartsenpraktijk> }");
    assert!(
        whole_documents.is_empty(),
        "a generated resource cites the whole factsheet instead of its sentence: {whole_documents:?}"
    );
}
