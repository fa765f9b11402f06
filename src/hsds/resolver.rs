//! The [`Resolver`] for real imports: region names through the place gazetteer
//! ([`crate::places`]), so an import reads a name as search and reconciliation do (aliases, a
//! leading "gemeente" or "provincie" that picks the kind, otherwise the most local reading; a CBS
//! code is never ambiguous), and theme names by their labels.
//!
//! A misspelt region name is not resolved: an import is written unattended and then served as
//! fact, so a guessed area could make an offer local where it is not. The import is refused with
//! a problem naming the place the gazetteer would have corrected it to, for the sender to fix.

use std::collections::HashMap;
use std::sync::Arc;

use oxigraph::model::NamedNode;

use super::Resolver;
use crate::analysis::Lexicon;
use crate::places::{PlaceMatch, Places, name_key};
use crate::store::{KnowledgeStore, StoreError};

pub struct StoreResolver {
    places: Places,
    themes: HashMap<String, NamedNode>,
}

impl StoreResolver {
    pub fn from_store(store: &KnowledgeStore) -> Result<Self, StoreError> {
        let places = Places::from_store(store, Arc::new(Lexicon::embedded()))?;
        let mut themes = HashMap::new();
        let rows = store.select(
            "SELECT ?theme ?name WHERE {
               ?theme a kr:Theme . { ?theme skos:prefLabel ?name } UNION { ?theme skos:altLabel ?name }
             }",
        )?;
        for row in rows {
            if let [Some(theme), Some(name)] = &row[..] {
                themes.entry(name_key(name)).or_insert_with(|| NamedNode::new_unchecked(theme));
            }
        }
        Ok(Self { places, themes })
    }

    fn find(&self, name: &str) -> Option<PlaceMatch> {
        self.places.find(name, |_| true)
    }
}

impl Resolver for StoreResolver {
    fn region(&self, name: &str) -> Option<NamedNode> {
        let found = self.find(name).filter(|found| found.typos == 0)?;
        Some(NamedNode::new_unchecked(&self.places[found.chosen].iri))
    }

    fn region_meant(&self, name: &str) -> Option<String> {
        let place = &self.places[self.find(name).filter(|found| found.typos > 0)?.chosen];
        Some(format!("{} ({}, {})", place.label, place.kind.dutch(), place.code))
    }

    fn theme(&self, term: &str) -> Option<NamedNode> {
        self.themes.get(&name_key(term)).cloned()
    }
}
