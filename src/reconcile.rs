//! Reconciliation: matching names from someone else's list (organisations, themes, tools,
//! places) to kansrijk's IRIs, as the W3C Reconciliation API expects. Candidates are scored
//! 0–100 on their labels (exact, accent- and punctuation-free, typos, word overlap), their
//! codes (CBS code, TOOI IRI, our IRI) and optional property constraints; a candidate is a
//! `match` when it is good and clearly ahead of the next one. Also suggest (prefix search),
//! data extension (property values) and the list of types and properties.

use std::collections::{BTreeMap, HashMap};

use oxigraph::model::{NamedNodeRef, Term, vocab::rdf, vocab::rdfs, vocab::xsd};
use serde::Serialize;

use crate::analysis;
use crate::store::{KnowledgeStore, StoreError};
use crate::vocab;

const PREF_LABEL: &str = "http://www.w3.org/2004/02/skos/core#prefLabel";
const ALT_LABEL: &str = "http://www.w3.org/2004/02/skos/core#altLabel";
const HIDDEN_LABEL: &str = "http://www.w3.org/2004/02/skos/core#hiddenLabel";
const EVERYDAY_NAME: &str = "https://w3id.org/kansrijk/def#everydayName";
const DESCRIPTION: &str = "http://schema.org/description";
const IDENTIFIER: &str = "http://purl.org/dc/terms/identifier";
const SAME_AS: &str = "http://www.w3.org/2002/07/owl#sameAs";

/// A candidate at least this good (and this far ahead of the next) is a certain match.
const MATCH_SCORE: f64 = 85.0;
const MATCH_LEAD: f64 = 10.0;
/// Candidates below this score are not worth showing.
const MIN_SCORE: f64 = 50.0;
pub const DEFAULT_LIMIT: usize = 5;
pub const MAX_LIMIT: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum ReconcileError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("reading the store: {0}")]
    Storage(#[from] oxigraph::store::StorageError),
    #[error("onbekend type {0:?}; vraag /reconcile/suggest/type voor de typen")]
    UnknownType(String),
}

/// A type or property: IRI and Dutch name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

#[derive(Debug)]
struct Entity {
    iri: String,
    name: String,
    description: Option<String>,
    types: Vec<String>,
    /// Every label, normalised for comparison.
    labels: Vec<String>,
    /// CBS code, TOOI IRI and the IRI itself, normalised.
    codes: Vec<String>,
    /// Property IRI → values (IRIs and literal values).
    properties: BTreeMap<String, Vec<Term>>,
}

/// A property constraint of a query: the property IRI and the values wanted.
#[derive(Debug, Clone)]
pub struct PropertyConstraint {
    pub property: String,
    pub values: Vec<String>,
}

/// One query of a batch.
#[derive(Debug, Clone, Default)]
pub struct ReconcileQuery {
    pub text: String,
    pub types: Vec<String>,
    pub limit: Option<usize>,
    pub properties: Vec<PropertyConstraint>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "type")]
    pub types: Vec<Named>,
    pub score: f64,
    #[serde(rename = "match")]
    pub is_match: bool,
}

/// A value of a property in a data extension row, in the spec's shapes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ExtensionValue {
    Entity { id: String, name: String },
    Text { str: String },
    Integer { int: i64 },
    Number { float: f64 },
}

/// Everything reconcilable, loaded from the store once.
#[derive(Debug)]
pub struct Reconciler {
    entities: Vec<Entity>,
    by_iri: HashMap<String, usize>,
    type_names: BTreeMap<String, String>,
    property_names: BTreeMap<String, String>,
}

/// Lowercase, without accents, with every run of punctuation or space as one space.
fn normalise(text: &str) -> String {
    analysis::fold(text).split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" ")
}

impl Reconciler {
    pub fn new(store: &KnowledgeStore) -> Result<Self, ReconcileError> {
        let oxigraph = store.oxigraph();
        let mut types: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for quad in oxigraph.quads_for_pattern(None, Some(rdf::TYPE), None, None) {
            let quad = quad?;
            if let (Some(subject), Term::NamedNode(class)) = (named(&quad.subject), &quad.object)
                && subject.starts_with(vocab::ID)
                && class.as_str().starts_with(vocab::DEF)
            {
                types.entry(subject.to_owned()).or_default().push(class.as_str().to_owned());
            }
        }
        let dutch_label = |iri: &str| -> Result<Option<String>, ReconcileError> {
            let mut best: Option<(bool, String)> = None;
            for predicate in [NamedNodeRef::new_unchecked(PREF_LABEL), rdfs::LABEL] {
                for quad in oxigraph.quads_for_pattern(Some(NamedNodeRef::new_unchecked(iri).into()), Some(predicate), None, None) {
                    if let Term::Literal(literal) = quad?.object {
                        let dutch = literal.language() == Some("nl");
                        if best.as_ref().is_none_or(|(was_dutch, _)| dutch && !was_dutch) {
                            best = Some((dutch, literal.value().to_owned()));
                        }
                    }
                }
            }
            Ok(best.map(|(_, label)| label))
        };
        let mut type_names = BTreeMap::new();
        for class in types.values().flatten() {
            if !type_names.contains_key(class) {
                let name = dutch_label(class)?.unwrap_or_else(|| class.trim_start_matches(vocab::DEF).to_owned());
                type_names.insert(class.clone(), name);
            }
        }
        let mut entities = Vec::with_capacity(types.len());
        let mut property_names = BTreeMap::new();
        for (iri, classes) in types {
            let mut entity = Entity {
                name: String::new(),
                description: None,
                types: classes,
                labels: Vec::new(),
                codes: vec![normalise(&iri)],
                properties: BTreeMap::new(),
                iri,
            };
            let mut names: Vec<(bool, String)> = Vec::new();
            for quad in oxigraph.quads_for_pattern(Some(NamedNodeRef::new_unchecked(&entity.iri).into()), None, None, None) {
                let quad = quad?;
                let predicate = quad.predicate.as_str();
                match (predicate, &quad.object) {
                    (PREF_LABEL, Term::Literal(literal)) => {
                        names.push((literal.language() == Some("nl"), literal.value().to_owned()));
                        entity.labels.push(normalise(literal.value()));
                    }
                    (ALT_LABEL | HIDDEN_LABEL | EVERYDAY_NAME, Term::Literal(literal)) => entity.labels.push(normalise(literal.value())),
                    (DESCRIPTION, Term::Literal(literal)) if literal.language() == Some("nl") => {
                        entity.description = Some(literal.value().to_owned());
                    }
                    (IDENTIFIER, Term::Literal(literal)) => entity.codes.push(normalise(literal.value())),
                    (SAME_AS, Term::NamedNode(node)) => entity.codes.push(normalise(node.as_str())),
                    _ => {}
                }
                if predicate != rdf::TYPE.as_str() && !property_names.contains_key(predicate) {
                    let name = dutch_label(predicate)?.unwrap_or_else(|| compact(predicate));
                    property_names.insert(predicate.to_owned(), name);
                }
                entity.properties.entry(predicate.to_owned()).or_default().push(quad.object);
            }
            names.sort_by_key(|(dutch, _)| !dutch);
            entity.name = names.into_iter().next().map_or_else(|| entity.iri.clone(), |(_, name)| name);
            entities.push(entity);
        }
        let by_iri = entities.iter().enumerate().map(|(index, entity)| (entity.iri.clone(), index)).collect();
        Ok(Self { entities, by_iri, type_names, property_names })
    }

    /// The types that have reconcilable entities, with Dutch names.
    pub fn types(&self) -> Vec<Named> {
        self.type_names.iter().map(|(id, name)| Named { id: id.clone(), name: name.clone() }).collect()
    }

    pub fn type_name(&self, iri: &str) -> Option<&str> {
        self.type_names.get(iri).map(String::as_str)
    }

    /// The properties used on entities of `type_iri` (or on any entity).
    pub fn properties(&self, type_iri: Option<&str>) -> Vec<Named> {
        let mut used: BTreeMap<&str, &str> = BTreeMap::new();
        for entity in self.entities.iter().filter(|entity| type_iri.is_none_or(|wanted| entity.types.iter().any(|t| t == wanted))) {
            for property in entity.properties.keys() {
                if let Some(name) = self.property_names.get(property) {
                    used.insert(property, name);
                }
            }
        }
        used.into_iter().map(|(id, name)| Named { id: id.to_owned(), name: name.to_owned() }).collect()
    }

    pub fn property_name(&self, iri: &str) -> Option<&str> {
        self.property_names.get(iri).map(String::as_str)
    }

    /// Checks that every type of a query is one kansrijk knows.
    pub fn check_types(&self, types: &[String]) -> Result<(), ReconcileError> {
        match types.iter().find(|type_iri| !self.type_names.contains_key(*type_iri)) {
            Some(unknown) => Err(ReconcileError::UnknownType(unknown.clone())),
            None => Ok(()),
        }
    }

    /// The candidates for one query, best first.
    pub fn reconcile(&self, query: &ReconcileQuery) -> Result<Vec<Candidate>, ReconcileError> {
        self.check_types(&query.types)?;
        let text = normalise(&query.text);
        let wanted: Vec<(String, Vec<String>)> = query
            .properties
            .iter()
            .map(|constraint| (constraint.property.clone(), constraint.values.iter().map(|value| normalise(value)).collect()))
            .collect();
        let mut scored: Vec<(f64, bool, usize)> = Vec::new();
        for (index, entity) in self.entities.iter().enumerate() {
            if !query.types.is_empty() && !entity.types.iter().any(|t| query.types.contains(t)) {
                continue;
            }
            let name_score = if text.is_empty() { 0.0 } else { self.name_score(entity, &text) };
            let (score, all_properties) = if wanted.is_empty() {
                (name_score, true)
            } else {
                let matched = wanted.iter().filter(|(property, values)| self.has_value(entity, property, values)).count();
                let fraction = matched as f64 / wanted.len() as f64;
                let score = if text.is_empty() { 100.0 * fraction } else { 0.6 * name_score + 40.0 * fraction };
                (score, matched == wanted.len())
            };
            if score >= MIN_SCORE {
                scored.push((score, all_properties, index));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| self.entities[a.2].name.cmp(&self.entities[b.2].name)));
        let runner_up = scored.get(1).map_or(0.0, |(score, ..)| *score);
        let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
        Ok(scored
            .iter()
            .take(limit)
            .enumerate()
            .map(|(rank, (score, all_properties, index))| {
                let is_match = rank == 0 && *score >= MATCH_SCORE && score - runner_up >= MATCH_LEAD && *all_properties;
                self.candidate(&self.entities[*index], (score * 10.0).round() / 10.0, is_match)
            })
            .collect())
    }

    fn candidate(&self, entity: &Entity, score: f64, is_match: bool) -> Candidate {
        Candidate {
            id: entity.iri.clone(),
            name: entity.name.clone(),
            description: entity.description.clone(),
            types: entity
                .types
                .iter()
                .map(|t| Named { id: t.clone(), name: self.type_names.get(t).cloned().unwrap_or_else(|| t.clone()) })
                .collect(),
            score,
            is_match,
        }
    }

    /// 0–100: a code or label equal to the query is 100; otherwise the best label similarity.
    fn name_score(&self, entity: &Entity, text: &str) -> f64 {
        if entity.codes.iter().any(|code| code == text) {
            return 100.0;
        }
        entity.labels.iter().map(|label| similarity(text, label)).fold(0.0, f64::max) * 100.0
    }

    fn has_value(&self, entity: &Entity, property: &str, wanted: &[String]) -> bool {
        let Some(values) = entity.properties.get(property) else { return false };
        values.iter().any(|value| {
            let (own, label) = match value {
                Term::NamedNode(node) => {
                    let linked = self.by_iri.get(node.as_str()).map(|index| &self.entities[*index]);
                    (normalise(node.as_str()), linked.map(|entity| entity.labels.clone()).unwrap_or_default())
                }
                Term::Literal(literal) => (normalise(literal.value()), Vec::new()),
                _ => return false,
            };
            wanted.iter().any(|wanted| *wanted == own || label.contains(wanted))
        })
    }

    /// Entities whose labels start with `prefix` (or have a word that does), for auto-complete.
    pub fn suggest(&self, prefix: &str, type_iri: Option<&str>, limit: usize) -> Vec<Candidate> {
        let prefix = normalise(prefix);
        if prefix.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<(u8, usize, usize)> = self
            .entities
            .iter()
            .enumerate()
            .filter(|(_, entity)| type_iri.is_none_or(|wanted| entity.types.iter().any(|t| t == wanted)))
            .filter_map(|(index, entity)| {
                let rank = entity
                    .labels
                    .iter()
                    .filter_map(|label| {
                        if label.starts_with(&prefix) {
                            Some(0)
                        } else if label.split(' ').any(|word| word.starts_with(&prefix)) || label.contains(&format!(" {prefix}")) {
                            Some(1)
                        } else {
                            None
                        }
                    })
                    .min()?;
                Some((rank, entity.name.len(), index))
            })
            .collect();
        found.sort();
        found.into_iter().take(limit.clamp(1, MAX_LIMIT)).map(|(.., index)| self.candidate(&self.entities[index], 100.0, false)).collect()
    }

    /// A known entity by IRI.
    pub fn entity(&self, iri: &str) -> Option<Candidate> {
        self.by_iri.get(iri).map(|index| self.candidate(&self.entities[*index], 100.0, false))
    }

    /// The values of `property` for the entity `iri` (empty when it has none or is unknown).
    pub fn values(&self, iri: &str, property: &str) -> Vec<ExtensionValue> {
        let Some(entity) = self.by_iri.get(iri).map(|index| &self.entities[*index]) else { return Vec::new() };
        entity
            .properties
            .get(property)
            .into_iter()
            .flatten()
            .filter_map(|value| match value {
                Term::NamedNode(node) => {
                    let name = self.by_iri.get(node.as_str()).map_or_else(|| node.as_str().to_owned(), |index| self.entities[*index].name.clone());
                    Some(ExtensionValue::Entity { id: node.as_str().to_owned(), name })
                }
                Term::Literal(literal) if literal.datatype() == xsd::INTEGER => {
                    Some(literal.value().parse().map_or_else(|_| ExtensionValue::Text { str: literal.value().to_owned() }, |int| ExtensionValue::Integer { int }))
                }
                Term::Literal(literal) if literal.datatype() == xsd::DECIMAL || literal.datatype() == xsd::DOUBLE => {
                    Some(literal.value().parse().map_or_else(|_| ExtensionValue::Text { str: literal.value().to_owned() }, |float| ExtensionValue::Number { float }))
                }
                Term::Literal(literal) => Some(ExtensionValue::Text { str: literal.value().to_owned() }),
                _ => None,
            })
            .collect()
    }
}

fn named(subject: &oxigraph::model::NamedOrBlankNode) -> Option<&str> {
    match subject {
        oxigraph::model::NamedOrBlankNode::NamedNode(node) => Some(node.as_str()),
        _ => None,
    }
}

/// `http://schema.org/areaServed` → `schema:areaServed`, for properties without a label.
fn compact(iri: &str) -> String {
    vocab::PREFIXES
        .iter()
        .find_map(|(prefix, namespace)| iri.strip_prefix(namespace).map(|local| format!("{prefix}:{local}")))
        .unwrap_or_else(|| iri.to_owned())
}

/// 0–1: how alike a normalised query and label are. The whole strings compared by edit
/// distance, or word by word (each query word matched to a label word, allowing a typo) with a
/// penalty for label words the query does not have.
fn similarity(query: &str, label: &str) -> f64 {
    if query == label {
        return 1.0;
    }
    let whole = strsim::normalized_levenshtein(query, label);
    let query_words: Vec<&str> = query.split(' ').collect();
    let label_words: Vec<&str> = label.split(' ').collect();
    let matched = query_words
        .iter()
        .filter(|word| label_words.iter().any(|candidate| strsim::normalized_levenshtein(word, candidate) >= 0.8))
        .count() as f64;
    let coverage = matched / query_words.len() as f64;
    let words = coverage * (0.5 + 0.45 * matched.min(label_words.len() as f64) / label_words.len() as f64);
    whole.max(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_drops_accents_case_and_punctuation() {
        assert_eq!(normalise("Súdwest-Fryslân"), "sudwest fryslan");
        assert_eq!(normalise("'s-Hertogenbosch"), "s hertogenbosch");
    }

    #[test]
    fn a_typo_is_close_and_a_partial_name_is_not_a_match() {
        assert!(similarity("aalsmer", "aalsmeer") > 0.85);
        assert!(similarity("aalsmer", "prenataal huisbezoek jgz in aalsmeer") < 0.75);
        assert!(similarity("ggd amsterdam", "ggd regio amsterdam") > 0.7);
    }
}
