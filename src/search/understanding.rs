//! What questions are understood with, read from the store beside the index: the places and
//! concepts a question may name (the gazetteer), the relations between concepts, the concepts'
//! analysed names and Dutch labels. Most writes (offers, organisations) change none of it, so the
//! engines of successive snapshots share one [`Understanding`]; only a write to a graph that
//! types a place or concept, or relates concepts, reads it again ([`names_places_or_concepts`]),
//! and one that changes the compound lexicon analyses the same names again.

use std::collections::HashMap;
use std::sync::Arc;

use oxigraph::model::{GraphName, NamedNodeRef};

use super::concepts::{ConceptGraph, ConceptNames};
use super::question::{ConceptKind, Gazetteer, PlaceKind};
use crate::analysis::{self, Lexicon};
use crate::rdf::kinds;
use crate::rdf::vocab::{kr, rdf, schema, skos};
use crate::store::{StoreError, StoreView};

/// The relations the concept graph and the places' hierarchy read, whatever their subject.
const RELATIONS: [NamedNodeRef<'static>; 5] =
    [skos::BROADER, skos::RELATED, kr::RISK_FACTOR, kr::PROTECTIVE_FACTOR, schema::CONTAINED_IN_PLACE];

/// Whether the gazetteer or the concept graph reads the resources of `class`: a place or concept.
fn is_read_class(class: &str) -> bool {
    class == kr::REGION.as_str() || ConceptKind::from_class(class).is_some() || PlaceKind::from_class(class).is_some()
}

/// What a write does to what questions are understood with (see
/// [`SearchEngine::understanding_after`](super::SearchEngine::understanding_after)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnderstandingChange {
    /// The write changed no place or concept: the previous understanding holds.
    Kept,
    /// The write changed a graph that names places or concepts: read them again.
    ReadAgain,
}

pub(super) struct Understanding {
    pub gazetteer: Gazetteer,
    pub concepts: Arc<ConceptGraph>,
    pub concept_names: ConceptNames,
    /// Dutch labels of concepts, roles and phases.
    pub labels: Arc<HashMap<String, String>>,
    /// Every name of every concept, role and phase (IRI, name), as `concept_names` analysed them.
    names: Arc<[(String, String)]>,
}

impl Understanding {
    pub fn read(store: &StoreView, lexicon: &Arc<Lexicon>) -> Result<Self, StoreError> {
        let gazetteer = Gazetteer::from_store(store, lexicon)?;
        let concepts = Arc::new(ConceptGraph::from_store(store)?);
        let labels = Arc::new(gazetteer.concepts.iter().map(|c| (c.iri.clone(), c.label.clone())).collect());
        let names: Arc<[(String, String)]> = store
            .select(
                "SELECT ?c ?name WHERE {
                   VALUES ?type { kr:Theme kr:RiskFactor kr:ProtectiveFactor kr:Role kr:Phase }
                   ?c a ?type ; skos:prefLabel|skos:altLabel|skos:hiddenLabel ?name
                 }",
            )?
            .into_iter()
            .filter_map(|row| Some((row.first()?.clone()?, row.get(1)?.clone()?)))
            .collect();
        let concept_names = ConceptNames::new(&gazetteer, &names, &mut analysis::dutch_analyzer(Arc::clone(lexicon)));
        Ok(Self { gazetteer, concepts, concept_names, labels, names })
    }

    /// The same places and concepts, their names read with another compound lexicon.
    pub fn with_lexicon(&self, lexicon: &Arc<Lexicon>) -> Self {
        let places = Arc::new(self.gazetteer.places.with_lexicon(Arc::clone(lexicon)));
        let gazetteer = self.gazetteer.with_places(places);
        let concept_names = ConceptNames::new(&gazetteer, &self.names, &mut analysis::dutch_analyzer(Arc::clone(lexicon)));
        Self {
            gazetteer,
            concepts: Arc::clone(&self.concepts),
            concept_names,
            labels: Arc::clone(&self.labels),
            names: Arc::clone(&self.names),
        }
    }
}

/// Whether `graph` in `store` types a place or concept or relates concepts or places: what an
/// [`Understanding`] is read from.
pub(super) fn names_places_or_concepts(store: &StoreView, graph: &GraphName) -> Result<bool, StoreError> {
    let graph = Some(graph.as_ref());
    let classes = kinds::KINDS.iter().map(kinds::Kind::iri).chain([kr::REGION.as_str().to_owned()]);
    for class in classes.filter(|class| is_read_class(class)) {
        let class = NamedNodeRef::new_unchecked(&class);
        if let Some(quad) = store.quads_for_pattern(None, Some(rdf::TYPE), Some(class.into()), graph).next() {
            quad?;
            return Ok(true);
        }
    }
    for relation in RELATIONS {
        if let Some(quad) = store.quads_for_pattern(None, Some(relation), None, graph).next() {
            quad?;
            return Ok(true);
        }
    }
    Ok(false)
}
