//! Reconciliation: matching names from someone else's list (organisations, themes, tools,
//! places) to kansrijk's IRIs, as the W3C Reconciliation API expects. Candidates are scored
//! 0–100 on their labels (exact, accent- and punctuation-free, typos, word overlap), their
//! codes (CBS code, TOOI IRI, our IRI) and optional property constraints; a candidate is a
//! `match` when it is good and clearly ahead of the next one. Regions are named as search
//! names them: the place gazetteer ([`crate::places`]) decides which places a name means, so a
//! region is a certain match exactly when search would understand the name as that place. Also
//! suggest (prefix search), data extension (property values) and the list of types and properties.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use imbl::OrdMap;

use oxigraph::model::{NamedNodeRef, Quad, Term, vocab::rdf, vocab::rdfs, vocab::xsd};
use rapidfuzz::distance::levenshtein::{self, BatchComparator};
use serde::Serialize;

use crate::analysis;
use crate::places::{PlaceKind, PlaceMatch, Places};
use crate::rdf::vocab::{self, dct, kr, owl, schema, skos};
use crate::store::{StoreError, StoreView};

/// A candidate at least this good (and this far ahead of the next) is a certain match.
const MATCH_SCORE: f64 = 85.0;
const MATCH_LEAD: f64 = 10.0;
/// Candidates below this score are not worth showing.
const MIN_SCORE: f64 = 50.0;
/// With property constraints, a score is this share of the name score plus up to
/// `PROPERTY_POINTS` for the share of constraints met.
const NAME_WEIGHT: f64 = 0.6;
const PROPERTY_POINTS: f64 = 40.0;
/// A region the gazetteer does not take for the query is scored by its labels, but at most this:
/// it may be shown, never be a certain match that search would not understand.
const UNRECOGNISED_REGION_SCORE: f64 = MATCH_SCORE - 1.0;
/// How far below the place taken the other places of an ambiguous name score: close enough that
/// the one taken is no certain match ("Utrecht" without a type)...
const AMBIGUOUS_GAP: f64 = 1.0;
/// ...unless a keyword chose the kind ("provincie Utrecht"): then the others are clearly behind.
const ASKED_GAP: f64 = 2.0 * MATCH_LEAD;
/// Two words are alike (one has a typo) when their edit similarity is at least this.
const WORD_MATCH: f64 = 0.8;
/// Distinct words of a query matched word by word at most; later ones count as unmatched. A
/// name has a handful of words (the longest label has 14), and each distinct word is compared
/// with every word of the labels, so a query of hundreds of different words would cost seconds.
const MAX_MATCHED_WORDS: usize = 16;
const _: () = assert!(MAX_MATCHED_WORDS <= u64::BITS as usize, "matched words are a bit set in a u64");
pub const DEFAULT_LIMIT: usize = 5;
pub const MAX_LIMIT: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum ReconcileError {
    #[error(transparent)]
    Store(#[from] StoreError),
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
    iri: Arc<str>,
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

impl Entity {
    /// The entity `iri`, of `classes`, as the store describes it.
    fn read(store: &StoreView, iri: String, classes: Vec<String>) -> Result<Self, ReconcileError> {
        let subject = NamedNodeRef::new_unchecked(&iri);
        let statements = store.quads_for_pattern(Some(subject.into()), None, None, None).collect::<Result<Vec<_>, _>>()?;
        Ok(Self::described(iri, classes, statements))
    }

    /// The entity `iri`, of `classes`, from every statement the store holds about it.
    fn described(iri: String, classes: Vec<String>, statements: Vec<Quad>) -> Self {
        let mut entity = Entity {
            name: String::new(),
            description: None,
            types: classes,
            labels: Vec::new(),
            codes: vec![normalise(&iri)],
            properties: BTreeMap::new(),
            iri: Arc::from(iri),
        };
        let mut names: Vec<(bool, String)> = Vec::new();
        for quad in statements {
            match (quad.predicate.as_ref(), &quad.object) {
                (skos::PREF_LABEL, Term::Literal(literal)) => {
                    names.push((literal.language() == Some("nl"), literal.value().to_owned()));
                    entity.labels.push(normalise(literal.value()));
                }
                (skos::ALT_LABEL | skos::HIDDEN_LABEL | kr::EVERYDAY_NAME, Term::Literal(literal)) => {
                    entity.labels.push(normalise(literal.value()))
                }
                (schema::DESCRIPTION, Term::Literal(literal)) if literal.language() == Some("nl") => {
                    entity.description = Some(literal.value().to_owned());
                }
                (dct::IDENTIFIER, Term::Literal(literal)) => entity.codes.push(normalise(literal.value())),
                (owl::SAME_AS | skos::EXACT_MATCH, Term::NamedNode(node)) => entity.codes.push(normalise(node.as_str())),
                _ => {}
            }
            entity.properties.entry(quad.predicate.into_string()).or_default().push(quad.object);
        }
        names.sort_by_key(|(dutch, _)| !dutch);
        entity.name = names.into_iter().next().map_or_else(|| entity.iri.to_string(), |(_, name)| name);
        entity
    }
}

/// Whether `subject` of `class` is an entity to reconcile against: one of kansrijk's own
/// resources, of a class of its ontology.
fn is_reconcilable(subject: &str, class: &str) -> bool {
    subject.starts_with(vocab::ID) && class.starts_with(vocab::DEF)
}

/// The Dutch label of a type or property, else any label.
fn dutch_label(store: &StoreView, iri: &str) -> Result<Option<String>, ReconcileError> {
    let mut best: Option<(bool, String)> = None;
    for predicate in [skos::PREF_LABEL, rdfs::LABEL] {
        for quad in store.quads_for_pattern(Some(NamedNodeRef::new_unchecked(iri).into()), Some(predicate), None, None) {
            if let Term::Literal(literal) = quad?.object {
                let dutch = literal.language() == Some("nl");
                if best.as_ref().is_none_or(|(was_dutch, _)| dutch && !was_dutch) {
                    best = Some((dutch, literal.value().to_owned()));
                }
            }
        }
    }
    Ok(best.map(|(_, label)| label))
}

/// Counts one more use of `iri` in `names`, naming it with `name` when it is new.
fn use_name(
    names: &mut BTreeMap<String, Used>,
    iri: &str,
    name: impl FnOnce() -> Result<String, ReconcileError>,
) -> Result<(), ReconcileError> {
    match names.get_mut(iri) {
        Some(used) => used.entities += 1,
        None => {
            names.insert(iri.to_owned(), Used { name: name()?, entities: 1 });
        }
    }
    Ok(())
}

/// Counts one use of `iri` in `names` less, forgetting it at none.
fn release_name(names: &mut BTreeMap<String, Used>, iri: &str) {
    if let Some(used) = names.get_mut(iri) {
        used.entities -= 1;
        if used.entities == 0 {
            names.remove(iri);
        }
    }
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

/// Everything reconcilable, loaded from the store once and kept in step after writes
/// ([`Reconciler::updated`]); the entities are shared between the states that hold them, in a
/// persistent map, so that a write costs what it touched, not what the store holds.
#[derive(Debug, Default)]
pub struct Reconciler {
    entities: OrdMap<Arc<str>, Arc<Entity>>,
    /// The types of the entities: IRI → Dutch name and how many entities have it.
    type_names: BTreeMap<String, Used>,
    /// The properties of the entities, as `type_names`.
    property_names: BTreeMap<String, Used>,
    /// The snapshot's place gazetteer, shared with search.
    places: Arc<Places>,
}

/// A type's or property's Dutch name, and how many entities use it.
#[derive(Debug, Clone)]
struct Used {
    name: String,
    entities: usize,
}

/// The reconciler's entities, read from the store while the search index is built beside them;
/// [`ReconcilerEntities::with_places`] completes them with the gazetteer search reads names with.
#[derive(Debug)]
pub struct ReconcilerEntities(Reconciler);

impl ReconcilerEntities {
    pub fn with_places(self, places: Arc<Places>) -> Reconciler {
        Reconciler { places, ..self.0 }
    }
}

/// Lowercase, without accents, with every run of punctuation or space as one space.
fn normalise(text: &str) -> String {
    analysis::fold(text).split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" ")
}

impl Reconciler {
    /// Reads every reconcilable entity of the store.
    pub fn read(store: &StoreView) -> Result<ReconcilerEntities, ReconcileError> {
        let mut types: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for quad in store.quads_for_pattern(None, Some(rdf::TYPE), None, None) {
            let quad = quad?;
            if let (Some(subject), Term::NamedNode(class)) = (named(&quad.subject), &quad.object)
                && is_reconcilable(subject, class.as_str())
            {
                types.entry(subject.to_owned()).or_default().push(class.as_str().to_owned());
            }
        }
        let mut reconciler = Self::default();
        for (iri, classes) in types {
            reconciler.insert(store, Arc::new(Entity::read(store, iri, classes)?))?;
        }
        Ok(ReconcilerEntities(reconciler))
    }

    /// The reconciler of `store` after a write that touched the statements about `touched`
    /// (the subjects of the graphs it wrote, before and after): their entities are read again,
    /// the others kept; gives what [`Reconciler::read`] would.
    pub fn updated<'i>(
        &self,
        store: &StoreView,
        touched: impl IntoIterator<Item = &'i str>,
    ) -> Result<ReconcilerEntities, ReconcileError> {
        let mut reconciler = Self {
            entities: self.entities.clone(),
            type_names: self.type_names.clone(),
            property_names: self.property_names.clone(),
            places: Arc::clone(&self.places),
        };
        for iri in touched.into_iter().collect::<BTreeSet<&str>>() {
            reconciler.remove(iri);
            if !iri.starts_with(vocab::ID) {
                continue;
            }
            let subject = NamedNodeRef::new_unchecked(iri);
            let statements = store.quads_for_pattern(Some(subject.into()), None, None, None).collect::<Result<Vec<_>, _>>()?;
            let classes: Vec<String> = statements
                .iter()
                .filter_map(|quad| match &quad.object {
                    Term::NamedNode(class) if quad.predicate == rdf::TYPE && is_reconcilable(iri, class.as_str()) => {
                        Some(class.as_str().to_owned())
                    }
                    _ => None,
                })
                .collect();
            if !classes.is_empty() {
                reconciler.insert(store, Arc::new(Entity::described(iri.to_owned(), classes, statements)))?;
            }
        }
        Ok(ReconcilerEntities(reconciler))
    }

    /// Adds `entity`, naming its types and properties that no entity had yet.
    fn insert(&mut self, store: &StoreView, entity: Arc<Entity>) -> Result<(), ReconcileError> {
        for class in &entity.types {
            use_name(&mut self.type_names, class, || {
                Ok(dutch_label(store, class)?.unwrap_or_else(|| class.trim_start_matches(vocab::DEF).to_owned()))
            })?;
        }
        for predicate in entity.properties.keys().filter(|predicate| *predicate != rdf::TYPE.as_str()) {
            use_name(&mut self.property_names, predicate, || {
                Ok(dutch_label(store, predicate)?.unwrap_or_else(|| vocab::compact(predicate)))
            })?;
        }
        self.entities.insert(Arc::clone(&entity.iri), entity);
        Ok(())
    }

    /// Removes the entity `iri` when there is one, and the names of types and properties that
    /// no other entity has.
    fn remove(&mut self, iri: &str) {
        let Some(entity) = self.entities.remove(iri) else { return };
        for class in &entity.types {
            release_name(&mut self.type_names, class);
        }
        for predicate in entity.properties.keys() {
            release_name(&mut self.property_names, predicate);
        }
    }

    /// The types that have reconcilable entities, with Dutch names.
    pub fn types(&self) -> Vec<Named> {
        self.type_names.iter().map(|(id, used)| Named { id: id.clone(), name: used.name.clone() }).collect()
    }

    pub fn type_name(&self, iri: &str) -> Option<&str> {
        self.type_names.get(iri).map(|used| used.name.as_str())
    }

    /// The properties used on entities of `type_iri` (or on any entity).
    pub fn properties(&self, type_iri: Option<&str>) -> Vec<Named> {
        let mut used: BTreeMap<&str, &str> = BTreeMap::new();
        for entity in
            self.entities.values().filter(|entity| type_iri.is_none_or(|wanted| entity.types.iter().any(|t| t == wanted)))
        {
            for property in entity.properties.keys() {
                if let Some(named) = self.property_names.get(property) {
                    used.insert(property, &named.name);
                }
            }
        }
        used.into_iter().map(|(id, name)| Named { id: id.to_owned(), name: name.to_owned() }).collect()
    }

    pub fn property_name(&self, iri: &str) -> Option<&str> {
        self.property_names.get(iri).map(|used| used.name.as_str())
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
        // The lowest name score that can still lift a candidate to MIN_SCORE; below it, no
        // label needs its exact similarity.
        let relevant = if wanted.is_empty() { MIN_SCORE } else { (MIN_SCORE - PROPERTY_POINTS) / NAME_WEIGHT };
        let mut matcher = Matcher::new(&text);
        let regions = self.region_scores(query);
        let mut scored: Vec<(f64, bool, &Entity)> = Vec::new();
        for entity in self.entities.values() {
            if !query.types.is_empty() && !entity.types.iter().any(|t| query.types.contains(t)) {
                continue;
            }
            let name_score = match self.places.place_by_iri(&entity.iri) {
                _ if text.is_empty() => 0.0,
                _ if entity.codes.contains(&text) => 100.0,
                Some(place) => regions
                    .get(&place)
                    .copied()
                    .unwrap_or_else(|| label_score(entity, &mut matcher, relevant).min(UNRECOGNISED_REGION_SCORE)),
                None => label_score(entity, &mut matcher, relevant),
            };
            let (score, all_properties) = if wanted.is_empty() {
                (name_score, true)
            } else {
                let matched = wanted.iter().filter(|(property, values)| self.has_value(entity, property, values)).count();
                let fraction = matched as f64 / wanted.len() as f64;
                let score =
                    if text.is_empty() { 100.0 * fraction } else { NAME_WEIGHT * name_score + PROPERTY_POINTS * fraction };
                (score, matched == wanted.len())
            };
            if score >= MIN_SCORE {
                scored.push((score, all_properties, entity));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.2.name.cmp(&b.2.name)));
        let runner_up = scored.get(1).map_or(0.0, |(score, ..)| *score);
        let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
        Ok(scored
            .iter()
            .take(limit)
            .enumerate()
            .map(|(rank, (score, all_properties, entity))| {
                let is_match = rank == 0 && *score >= MATCH_SCORE && score - runner_up >= MATCH_LEAD && *all_properties;
                self.candidate(entity, (score * 10.0).round() / 10.0, is_match)
            })
            .collect())
    }

    /// The places the gazetteer takes the query's text for, among the region types the query
    /// allows, scored 0–100: the place taken by how close the text is to its name, the other
    /// readings of the name a little or (when a keyword chose the kind) clearly below it.
    fn region_scores(&self, query: &ReconcileQuery) -> HashMap<usize, f64> {
        let region_class = kr::REGION.as_str();
        let wanted = |kind: PlaceKind| {
            query.types.is_empty() || query.types.iter().any(|t| *t == region_class || PlaceKind::from_class(t) == Some(kind))
        };
        let Some(PlaceMatch { chosen, alternatives, typos, asked }) = self.places.find(&query.text, wanted) else {
            return HashMap::new();
        };
        let written = normalise(&query.text).chars().count();
        // Like the labels' edit similarity: typos over the longer of the text and the name.
        let score = 100.0 * (1.0 - typos as f64 / (written + typos).max(1) as f64);
        let gap = if asked { ASKED_GAP } else { AMBIGUOUS_GAP };
        alternatives.into_iter().map(|other| (other, score - gap)).chain([(chosen, score)]).collect()
    }

    fn candidate(&self, entity: &Entity, score: f64, is_match: bool) -> Candidate {
        Candidate {
            id: entity.iri.to_string(),
            name: entity.name.clone(),
            description: entity.description.clone(),
            types: entity
                .types
                .iter()
                .map(|t| Named { id: t.clone(), name: self.type_name(t).unwrap_or(t).to_owned() })
                .collect(),
            score,
            is_match,
        }
    }

    fn has_value(&self, entity: &Entity, property: &str, wanted: &[String]) -> bool {
        let Some(values) = entity.properties.get(property) else { return false };
        values.iter().any(|value| match value {
            Term::NamedNode(node) => {
                let own = normalise(node.as_str());
                let labels = self.entities.get(node.as_str()).map_or(&[][..], |entity| &entity.labels);
                wanted.iter().any(|wanted| *wanted == own || labels.contains(wanted))
            }
            Term::Literal(literal) => wanted.contains(&normalise(literal.value())),
            _ => false,
        })
    }

    /// Entities whose labels start with `prefix` (or have a word that does), for auto-complete.
    pub fn suggest(&self, prefix: &str, type_iri: Option<&str>, limit: usize) -> Vec<Candidate> {
        let prefix = normalise(prefix);
        if prefix.is_empty() {
            return Vec::new();
        }
        let inner_prefix = format!(" {prefix}");
        let mut found: Vec<(u8, usize, &Arc<str>, &Entity)> = self
            .entities
            .iter()
            .filter(|(_, entity)| type_iri.is_none_or(|wanted| entity.types.iter().any(|t| t == wanted)))
            .filter_map(|(iri, entity)| {
                let rank = entity
                    .labels
                    .iter()
                    .filter_map(|label| {
                        if label.starts_with(&prefix) {
                            Some(0)
                        } else if label.split(' ').any(|word| word.starts_with(&prefix)) || label.contains(&inner_prefix) {
                            Some(1)
                        } else {
                            None
                        }
                    })
                    .min()?;
                Some((rank, entity.name.len(), iri, &**entity))
            })
            .collect();
        found.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        found.into_iter().take(limit.clamp(1, MAX_LIMIT)).map(|(.., entity)| self.candidate(entity, 100.0, false)).collect()
    }

    /// A known entity by IRI.
    pub fn entity(&self, iri: &str) -> Option<Candidate> {
        self.entities.get(iri).map(|entity| self.candidate(entity, 100.0, false))
    }

    /// The values of `property` for the entity `iri` (empty when it has none or is unknown).
    pub fn values(&self, iri: &str, property: &str) -> Vec<ExtensionValue> {
        let Some(entity) = self.entities.get(iri) else { return Vec::new() };
        entity
            .properties
            .get(property)
            .into_iter()
            .flatten()
            .filter_map(|value| match value {
                Term::NamedNode(node) => {
                    let name =
                        self.entities.get(node.as_str()).map_or_else(|| node.as_str().to_owned(), |entity| entity.name.clone());
                    Some(ExtensionValue::Entity { id: node.as_str().to_owned(), name })
                }
                Term::Literal(literal) if literal.datatype() == xsd::INTEGER => Some(literal.value().parse().map_or_else(
                    |_| ExtensionValue::Text { str: literal.value().to_owned() },
                    |int| ExtensionValue::Integer { int },
                )),
                Term::Literal(literal) if literal.datatype() == xsd::DECIMAL || literal.datatype() == xsd::DOUBLE => {
                    Some(literal.value().parse().map_or_else(
                        |_| ExtensionValue::Text { str: literal.value().to_owned() },
                        |float| ExtensionValue::Number { float },
                    ))
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

/// 0–100: the best label similarity (100 for a label equal to the query). Scores below
/// `relevant` are not worth computing exactly: any of them may come out lower.
fn label_score<'r>(entity: &'r Entity, matcher: &mut Matcher<'_, 'r>, relevant: f64) -> f64 {
    let mut best: f64 = 0.0;
    for label in &entity.labels {
        best = best.max(matcher.similarity(label, best.max(relevant / 100.0)));
    }
    best * 100.0
}

/// A normalised query compared with many labels: the edit distance to the whole query is
/// computed bit-parallel and only as far as it can still matter, and each label word is
/// compared with the query's words only once per query.
struct Matcher<'q, 'r> {
    text: &'q str,
    whole: BatchComparator<char>,
    /// The first `MAX_MATCHED_WORDS` distinct words, each with how often it occurs.
    distinct: Vec<(BatchComparator<char>, usize)>,
    words: usize,
    /// Label word → bit set of the `distinct` words it is alike.
    alike: HashMap<&'r str, u64>,
}

impl<'q, 'r> Matcher<'q, 'r> {
    fn new(text: &'q str) -> Self {
        let mut distinct: Vec<(&'q str, usize)> = Vec::new();
        let mut words = 0;
        for word in text.split(' ') {
            words += 1;
            match distinct.iter().position(|(known, _)| *known == word) {
                Some(index) => distinct[index].1 += 1,
                None if distinct.len() < MAX_MATCHED_WORDS => distinct.push((word, 1)),
                None => {}
            }
        }
        Self {
            text,
            whole: BatchComparator::new(text.chars()),
            distinct: distinct.into_iter().map(|(word, count)| (BatchComparator::new(word.chars()), count)).collect(),
            words,
            alike: HashMap::new(),
        }
    }

    /// Which of the query's distinct words are alike `label_word`, as a bit set.
    fn alike(&mut self, label_word: &'r str) -> u64 {
        if let Some(known) = self.alike.get(label_word) {
            return *known;
        }
        let cutoff = levenshtein::Args::default().score_cutoff(WORD_MATCH);
        let alike = self
            .distinct
            .iter()
            .enumerate()
            .filter(|(_, (word, _))| word.normalized_similarity_with_args(label_word.chars(), &cutoff).is_some())
            .fold(0, |set, (index, _)| set | 1 << index);
        self.alike.insert(label_word, alike);
        alike
    }

    /// 0–1: how alike the query and a normalised label are. The whole strings compared by edit
    /// distance, or word by word (each query word matched to a label word, allowing a typo) with
    /// a penalty for label words the query does not have. A similarity of the whole strings
    /// below `wanted` may come out as the (lower) word score.
    fn similarity(&mut self, label: &'r str, wanted: f64) -> f64 {
        if self.text == label {
            return 1.0;
        }
        let mut alike = 0;
        let mut label_words = 0;
        for label_word in label.split(' ') {
            label_words += 1;
            alike |= self.alike(label_word);
        }
        let matched = self
            .distinct
            .iter()
            .enumerate()
            .filter(|(index, _)| alike & 1 << index != 0)
            .map(|(_, (_, occurrences))| occurrences)
            .sum::<usize>() as f64;
        let coverage = matched / self.words as f64;
        let words = coverage * (0.5 + 0.45 * matched.min(label_words as f64) / label_words as f64);
        let cutoff = levenshtein::Args::default().score_cutoff(words.max(wanted));
        self.whole.normalized_similarity_with_args(label.chars(), &cutoff).map_or(words, |whole| whole.max(words))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_drops_accents_case_and_punctuation() {
        assert_eq!(normalise("Súdwest-Fryslân"), "sudwest fryslan");
        assert_eq!(normalise("'s-Hertogenbosch"), "s hertogenbosch");
    }

    fn similarity(query: &str, label: &str) -> f64 {
        Matcher::new(query).similarity(label, 0.0)
    }

    #[test]
    fn a_typo_is_close_and_a_partial_name_is_not_a_match() {
        assert!(similarity("aalsmer", "aalsmeer") > 0.85);
        assert!(similarity("aalsmer", "prenataal huisbezoek jgz in aalsmeer") < 0.75);
        assert!(similarity("ggd amsterdam", "ggd regio amsterdam") > 0.7);
    }
}
