//! The search index as built from the store: every searchable resource is a document, Dutch
//! analysis applies, and the index is rebuilt exactly when the store changed.

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

    let changed = oxigraph::model::Quad::new(
        oxigraph::model::NamedNode::new_unchecked("https://w3id.org/kansrijk/id/thema/stress"),
        oxigraph::model::vocab::rdfs::COMMENT,
        oxigraph::model::Literal::new_simple_literal("changed"),
        oxigraph::model::GraphName::DefaultGraph,
    );
    live.replace_graph(&oxigraph::model::GraphName::DefaultGraph, &[changed], &[]).expect("a write");
    let (_, rebuilt) = SearchIndex::open(data.path(), &live.view().expect("a view"), &|_, _| {}).expect("index opens");
    assert!(rebuilt, "a changed store gets a new index");
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
