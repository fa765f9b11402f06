//! The search index as built from the store: every searchable resource is a document, Dutch
//! analysis applies, and the index follows the store: reused when it is unchanged, caught up
//! on what a write changed.

use std::sync::Arc;

use kansrijk::analysis;
use kansrijk::search::index::SearchIndex;
use kansrijk::store::KnowledgeStore;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

mod common;

fn top_iris(index: &SearchIndex, question: &str) -> Vec<String> {
    let mut analyzer = analysis::dutch_analyzer(Arc::clone(&index.lexicon));
    let query = BooleanQuery::new(
        analysis::terms(&mut analyzer, question)
            .into_iter()
            .flat_map(|term| [index.fields.names, index.fields.description].map(|field| (field, term.clone())))
            .map(|(field, term)| -> (Occur, Box<dyn Query>) {
                (Occur::Should, Box::new(TermQuery::new(Term::from_field_text(field, &term), IndexRecordOption::WithFreqs)))
            })
            .collect(),
    );
    let searcher = index.reader.searcher();
    searcher
        .search(&query, &TopDocs::with_limit(5).order_by_score())
        .expect("search runs")
        .into_iter()
        .map(|(_, address)| {
            let document: TantivyDocument = searcher.doc(address).expect("stored document");
            document.get_first(index.fields.iri).and_then(|v| v.as_str()).unwrap_or_default().to_owned()
        })
        .collect()
}

#[test]
fn the_index_holds_every_searchable_resource_and_follows_the_store() {
    let data = common::loaded_data_dir();
    std::fs::remove_dir_all(data.path().join("index")).expect("the template has an index");
    let live = KnowledgeStore::open(data.path()).expect("store opens");
    let store = live.view().expect("a view");
    let (index, rebuilt) = SearchIndex::open(data.path(), &store, &|_, _| {}).expect("index builds");
    assert!(rebuilt, "a data folder without an index gets one");
    assert!(index.num_docs() > 25 + 342 + 80, "offers and factsheet items: {}", index.num_docs());
    drop(index);

    let (_, rebuilt) = SearchIndex::open(data.path(), &store, &|_, _| {}).expect("index opens");
    assert!(!rebuilt, "an unchanged store reuses its index");

    // A write (with its provenance, as every write records) is caught up on, not rebuilt for.
    let before = SearchIndex::open(data.path(), &store, &|_, _| {}).expect("index opens").0.num_docs();
    drop(store);
    let graph =
        oxigraph::model::GraphName::from(oxigraph::model::NamedNode::new_unchecked("https://w3id.org/kansrijk/graph/test-index"));
    let offer = oxigraph::model::NamedNode::new_unchecked("https://w3id.org/kansrijk/id/aanbod/test-index");
    let written = [
        oxigraph::model::Quad::new(
            offer.clone(),
            oxigraph::model::vocab::rdf::TYPE,
            kansrijk::rdf::vocab::kr::OFFER,
            graph.clone(),
        ),
        oxigraph::model::Quad::new(
            offer.clone(),
            kansrijk::rdf::vocab::skos::PREF_LABEL,
            oxigraph::model::Literal::new_language_tagged_literal_unchecked("Testaanbod van de index (synthetisch)", "nl"),
            graph.clone(),
        ),
        oxigraph::model::Quad::new(
            offer.clone(),
            kansrijk::rdf::vocab::schema::DESCRIPTION,
            oxigraph::model::Literal::new_language_tagged_literal_unchecked("Een testaanbod dat niet bestaat.", "nl"),
            graph.clone(),
        ),
    ];
    let provenance = kansrijk::write::Provenance { agent: "test".into(), action: "test".into(), file: None };
    live.replace_graph(&graph, &written, &provenance.quads(&graph)).expect("a write");
    let (index, rebuilt) = SearchIndex::open(data.path(), &live.view().expect("a view"), &|_, _| {}).expect("index opens");
    assert!(!rebuilt, "an index behind the store catches up instead of being rebuilt");
    assert_eq!(index.num_docs(), before + 1, "the written offer is indexed");
    assert!(top_iris(&index, "testaanbod").contains(&offer.as_str().to_owned()), "and found");
}

#[test]
fn compounds_and_synonyms_find_their_resources() {
    let data = common::loaded_data_dir();
    let store = KnowledgeStore::open(data.path()).expect("store opens").view().expect("a view");
    let (index, _) = SearchIndex::open(data.path(), &store, &|_, _| {}).expect("index builds");
    let geldzorgen = "https://w3id.org/kansrijk/id/thema/geldzorgen";
    assert!(top_iris(&index, "schulden").contains(&geldzorgen.to_owned()), "synonym");
    let teen = top_iris(&index, "tienerzwangerschappen");
    assert!(teen.contains(&"https://w3id.org/kansrijk/id/thema/tienerzwangerschap".to_owned()), "{teen:?}");
    let ppd = top_iris(&index, "somber");
    assert!(ppd.contains(&"https://w3id.org/kansrijk/id/thema/postpartumdepressie".to_owned()), "{ppd:?}");
}
