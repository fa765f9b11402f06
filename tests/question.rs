//! Question understanding on the national graph: every municipality, by its official and its
//! everyday name, and every PC4 postcode is recognised inside a question.

use std::sync::Arc;

use kansrijk::analysis::Lexicon;
use kansrijk::search::question::{Gazetteer, PlaceKind};
use kansrijk::store::KnowledgeStore;

mod common;

fn gazetteer() -> Gazetteer {
    let data = common::loaded_data_dir();
    let store = KnowledgeStore::open(data.path()).expect("store opens").view().expect("a view");
    Gazetteer::from_store(&store, &Arc::new(Lexicon::embedded())).expect("gazetteer reads the store")
}

#[test]
fn every_municipality_and_postcode_is_recognised() {
    let gazetteer = gazetteer();
    let municipalities = common::csv_rows(&common::reference_dir().join("gemeenten.csv"));
    for row in &municipalities {
        let (code, name) = (&row[0], &row[1]);
        for question in [
            format!("aanbod voor geldzorgen in {name}"),
            format!("{name} tienerzwangerschap"),
            format!("gemeente {}", name.to_lowercase()),
        ] {
            let understood = gazetteer.understand(&question);
            assert_eq!(understood.regions.first().map(|r| r.code.as_str()), Some(code.as_str()), "{question}: {understood:?}");
        }
    }
    let postcodes = common::csv_rows(&common::reference_dir().join("pc4_gemeente.csv"));
    for row in &postcodes {
        let understood = gazetteer.understand(&format!("hulp bij schulden {} AB", row[0]));
        assert_eq!(understood.regions.first().map(|r| r.code.as_str()), Some(row[0].as_str()), "PC6 {}", row[0]);
        assert_eq!(understood.text, "hulp bij schulden");
    }
}

#[test]
fn everyday_names_ggd_regions_provinces_and_ambiguity() {
    let gazetteer = gazetteer();
    let first = |question: &str| {
        let understood = gazetteer.understand(question);
        let region = understood.regions.first().unwrap_or_else(|| panic!("nothing recognised in {question}")).clone();
        (region.code, region.kind, region.alternatives.len())
    };
    assert_eq!(first("kraamzorg Den Haag").0, "GM0518");
    assert_eq!(first("jgz in den bosch").0, "GM0796");
    assert_eq!(first("Súdwest-Fryslân").0, "GM1900");
    assert_eq!(first("sudwest fryslan").0, "GM1900");
    assert_eq!(first("provincie Friesland").0, "PV21");
    assert_eq!(first("GGD Hollands-Noorden").1, PlaceKind::GgdRegion);
    assert_eq!(first("regio Twente").0, "GG1106");
    assert_eq!(first("Utrecht"), ("GM0344".to_owned(), PlaceKind::Municipality, 1));
    assert_eq!(first("provincie Groningen").0, "PV20");
    assert_eq!(first("Groningen").2, 1, "the province is offered as the other reading");
    let aalsmeer = gazetteer.place_by_iri("https://w3id.org/kansrijk/id/gemeente/gm0358").expect("Aalsmeer");
    let covering: Vec<&str> = gazetteer.covering(aalsmeer).into_iter().map(|p| gazetteer.places[p].code.as_str()).collect();
    assert_eq!(covering, ["GM0358", "GG3406", "PV27", "NL"]);
}
