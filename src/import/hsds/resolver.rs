//! The [`Resolver`] for real imports: region names through the place gazetteer
//! ([`crate::places`]), so an import reads a name as search and reconciliation do (aliases, a
//! leading "gemeente" or "provincie" that picks the kind, otherwise the most local reading; a CBS
//! code is never ambiguous), and theme names by their labels. A name that two places of the same
//! kind share is refused with both, as is a misspelt one with the place it probably means.
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
use crate::store::{StoreError, StoreView};

pub struct StoreResolver {
    places: Places,
    themes: HashMap<String, NamedNode>,
}

impl StoreResolver {
    pub fn from_store(store: &StoreView) -> Result<Self, StoreError> {
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
    /// A name two places of the same kind share ("Bergen") resolves to neither: the sender must
    /// say which (see [`Resolver::regions_sharing`]).
    fn region(&self, name: &str) -> Option<NamedNode> {
        let found = self.find(name).filter(|found| found.typos == 0)?;
        let chosen = &self.places[found.chosen];
        if found.alternatives.iter().any(|&other| self.places[other].kind == chosen.kind) {
            return None;
        }
        Some(NamedNode::new_unchecked(&chosen.iri))
    }

    fn region_meant(&self, name: &str) -> Option<String> {
        let place = &self.places[self.find(name).filter(|found| found.typos > 0)?.chosen];
        Some(format!("{} ({}, {})", place.label, place.kind.dutch(), place.code))
    }

    fn regions_sharing(&self, name: &str) -> Vec<String> {
        let key = name_key(name);
        let unqualified = |label: &str| name_key(label.split_once(" (").map_or(label, |(base, _)| base));
        self.places
            .iter()
            .filter(|place| unqualified(&place.label) == key)
            .map(|place| format!("{} ({}, {})", place.label, place.kind.dutch(), place.code))
            .collect()
    }

    fn theme(&self, term: &str) -> Option<NamedNode> {
        self.themes.get(&name_key(term)).cloned()
    }
}
