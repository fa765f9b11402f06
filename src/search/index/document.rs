//! What one index document holds, and reading it from the store: the resource's kind, labels,
//! names and descriptions, the labels of what it links to, its concepts (also through what it
//! implements), roles, phases and served areas with every place they lie in, and its contact.
//!
//! How a statement about a resource enters its document is written once ([`Resource::take`]);
//! it is read in two ways: for every resource at once by a few SPARQL queries (a full build),
//! and for a given few by looking up their statements ([`read_resources_of`], when a write
//! changed them). Both give the same documents, which the incremental-equals-full test checks.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use oxigraph::model::{NamedNodeRef, NamedOrBlankNodeRef, Term};
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{TantivyDocument, doc};

use super::{Fields, IndexError, NOT_PLACE_BOUND};
use crate::analysis;
use crate::places::{Places, name_key};
use crate::rdf::kinds;
use crate::rdf::vocab::{kr, rdf, skos};
use crate::store::{GraphVersions, Row, StoreView};

/// One searchable resource as read from the store.
#[derive(Debug, Default)]
pub(super) struct Resource {
    pub(super) kind: String,
    /// The graphs its type is stated in, by their [`GraphVersions::key`].
    pub(super) graphs: BTreeSet<String>,
    label: Option<String>,
    names: BTreeSet<String>,
    /// Dutch ones first, each once.
    description: BTreeSet<(bool, String)>,
    links: BTreeMap<&'static str, BTreeSet<String>>,
}

impl Resource {
    /// Takes one statement about the resource into its document: `predicate`, and its object as
    /// text with the object's language.
    fn take(&mut self, predicate: &str, value: String, lang: &str) {
        let local = predicate.rsplit(['#', '/']).next().unwrap_or_default();
        match local {
            "prefLabel" => {
                if lang == "nl" && self.label.as_ref().is_none_or(|label| value < *label) {
                    self.label = Some(value.clone());
                }
                self.names.insert(value);
            }
            "altLabel" | "hiddenLabel" | "everydayName" => {
                self.names.insert(value);
            }
            "description" => {
                self.description.insert((lang != "nl", value));
            }
            _ => {
                if let Some(link) = link_kind(predicate) {
                    self.links.entry(link).or_default().insert(value);
                }
            }
        }
    }

    /// Takes one searchable class of the resource, stated in `graph`: a practice example is
    /// one whatever else it is, otherwise the first class of the kinds table counts.
    fn take_class(&mut self, kind: &'static kinds::Kind, graph: String) {
        let rank = |class: &str| kinds::searchable().position(|kind| kind.class == class).unwrap_or(usize::MAX);
        if self.kind.is_empty()
            || kind.class == "PracticeExample"
            || (self.kind != "PracticeExample" && rank(kind.class) < rank(&self.kind))
        {
            self.kind = kind.class.to_owned();
        }
        self.graphs.insert(graph);
    }

    /// The IRIs it links to, whose labels its document holds.
    pub(super) fn targets(&self) -> impl Iterator<Item = &str> {
        self.links.values().flatten().map(String::as_str)
    }
}

/// The searchable kind of a class IRI.
fn searchable_kind(class: &str) -> Option<&'static kinds::Kind> {
    kinds::searchable().find(|kind| kind.iri() == class)
}

/// Every searchable resource of the store, by IRI (a full build).
pub(super) fn read_resources(store: &StoreView) -> Result<BTreeMap<String, Resource>, IndexError> {
    let mut resources: BTreeMap<String, Resource> = BTreeMap::new();
    for kind in kinds::searchable() {
        let class = kind.iri();
        let class = NamedNodeRef::new_unchecked(&class);
        for quad in store.quads_for_pattern(None, Some(rdf::TYPE), Some(class.into()), None) {
            let quad = quad?;
            if let NamedOrBlankNodeRef::NamedNode(node) = quad.subject.as_ref() {
                resources.entry(node.as_str().to_owned()).or_default().take_class(kind, GraphVersions::key(&quad.graph_name));
            }
        }
    }
    let rows = store.select(&format!(
        "SELECT DISTINCT ?r ?p ?o (LANG(?o) AS ?lang) WHERE {{ VALUES ?type {{ {} }} ?r a ?type ; ?p ?o }}",
        kinds::searchable_values()
    ))?;
    for row in rows {
        let [Some(iri), Some(predicate), Some(value), lang] = <[Option<String>; 4]>::try_from(row).unwrap_or_default() else {
            continue;
        };
        if let Some(resource) = resources.get_mut(&iri) {
            resource.take(&predicate, value, lang.as_deref().unwrap_or_default());
        }
    }
    for row in store
        .select("SELECT ?r ?concept WHERE { ?r kr:implements ?p . ?p kr:theme|kr:riskFactor|kr:protectiveFactor ?concept }")?
    {
        let Some((iri, concept)) = pair(&row) else { continue };
        if let Some(resource) = resources.get_mut(&iri) {
            resource.links.entry("concept").or_default().insert(concept);
        }
    }
    Ok(resources)
}

/// The resources among `iris` that are searchable, read statement by statement (a write).
pub(super) fn read_resources_of<'i>(
    store: &StoreView,
    iris: impl IntoIterator<Item = &'i str>,
) -> Result<BTreeMap<String, Resource>, IndexError> {
    let mut resources = BTreeMap::new();
    for iri in iris {
        let subject = NamedNodeRef::new_unchecked(iri);
        let mut resource = Resource::default();
        let mut statements = Vec::new();
        for quad in store.quads_for_pattern(Some(subject.into()), None, None, None) {
            let quad = quad?;
            if quad.predicate == rdf::TYPE
                && let Term::NamedNode(class) = &quad.object
                && let Some(kind) = searchable_kind(class.as_str())
            {
                resource.take_class(kind, GraphVersions::key(&quad.graph_name));
            }
            statements.push(quad);
        }
        if resource.kind.is_empty() {
            continue;
        }
        let mut implemented = Vec::new();
        for quad in statements {
            let (value, lang) = match quad.object {
                Term::NamedNode(node) => (node.into_string(), String::new()),
                Term::Literal(literal) => {
                    let lang = literal.language().unwrap_or_default().to_owned();
                    (literal.value().to_owned(), lang)
                }
                _ => continue,
            };
            if quad.predicate == kr::IMPLEMENTS {
                implemented.push(value.clone());
            }
            resource.take(quad.predicate.as_str(), value, &lang);
        }
        for practice in implemented {
            for predicate in [kr::THEME, kr::RISK_FACTOR, kr::PROTECTIVE_FACTOR] {
                let practice = NamedNodeRef::new_unchecked(&practice);
                for quad in store.quads_for_pattern(Some(practice.into()), Some(predicate), None, None) {
                    if let Term::NamedNode(concept) = quad?.object {
                        resource.links.entry("concept").or_default().insert(concept.into_string());
                    }
                }
            }
        }
        resources.insert(iri.to_owned(), resource);
    }
    Ok(resources)
}

/// The Dutch preferred label of every resource (a full build), the first in order where there
/// are several.
pub(super) fn preferred_labels(store: &StoreView) -> Result<BTreeMap<String, String>, IndexError> {
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    for row in store.select("SELECT ?s ?l WHERE { ?s skos:prefLabel ?l FILTER(LANG(?l) = 'nl') }")? {
        let Some((iri, label)) = pair(&row) else { continue };
        match labels.get_mut(&iri) {
            Some(known) if *known <= label => {}
            Some(known) => *known = label,
            None => {
                labels.insert(iri, label);
            }
        }
    }
    Ok(labels)
}

/// The Dutch preferred labels of `iris` (a write), as [`preferred_labels`] gives them.
pub(super) fn preferred_labels_of<'i>(
    store: &StoreView,
    iris: impl IntoIterator<Item = &'i str>,
) -> Result<BTreeMap<String, String>, IndexError> {
    let mut labels = BTreeMap::new();
    for iri in iris {
        let subject = NamedNodeRef::new_unchecked(iri);
        let mut best: Option<String> = None;
        for quad in store.quads_for_pattern(Some(subject.into()), Some(skos::PREF_LABEL), None, None) {
            if let Term::Literal(literal) = quad?.object
                && literal.language() == Some("nl")
                && best.as_deref().is_none_or(|known| literal.value() < known)
            {
                best = Some(literal.value().to_owned());
            }
        }
        if let Some(label) = best {
            labels.insert(iri.to_owned(), label);
        }
    }
    Ok(labels)
}

/// The searchable resources that link to one of `iris` (whose documents hold their labels).
pub(super) fn linking_to<'i>(store: &StoreView, iris: impl IntoIterator<Item = &'i str>) -> Result<BTreeSet<String>, IndexError> {
    let mut linking = BTreeSet::new();
    for iri in iris {
        let object = NamedNodeRef::new_unchecked(iri);
        for quad in store.quads_for_pattern(None, None, Some(object.into()), None) {
            let quad = quad?;
            if let NamedOrBlankNodeRef::NamedNode(subject) = quad.subject.as_ref()
                && link_kind(quad.predicate.as_str()).is_some()
            {
                linking.insert(subject.as_str().to_owned());
            }
        }
    }
    Ok(linking)
}

/// The index document of `resource`.
pub(super) fn document(
    fields: &Fields,
    analyzer: &mut TextAnalyzer,
    iri: &str,
    resource: &Resource,
    labels: &BTreeMap<String, String>,
    places: &mut PlaceClosure<'_>,
) -> TantivyDocument {
    let mut document = doc!(fields.iri => iri, fields.kind => resource.kind.as_str());
    let label = resource.label.as_deref().unwrap_or(iri);
    document.add_text(fields.label, label);
    document.add_text(fields.words, label);
    add_terms(&mut document, fields.label_terms, analyzer, label);
    add_words(&mut document, fields.label_words, label);
    let mut keys = BTreeSet::new();
    let mut other_names = Vec::new();
    for name in &resource.names {
        if name != label {
            document.add_text(fields.names, name);
            other_names.push(name.as_str());
        }
        document.add_text(fields.names_exact, name);
        document.add_text(fields.words, name);
        keys.extend(name_keys(name));
    }
    let label_keys: BTreeSet<String> = name_keys(label).into_iter().filter(|key| !key.is_empty()).collect();
    for key in &label_keys {
        document.add_text(fields.label_keys, key);
    }
    keys.extend(label_keys);
    for key in keys.into_iter().filter(|key| !key.is_empty()) {
        document.add_text(fields.name_keys, key);
    }
    let other_names = other_names.join(" ");
    add_terms(&mut document, fields.name_terms, analyzer, &other_names);
    add_words(&mut document, fields.name_words, &other_names);
    let description: Vec<&str> = resource.description.iter().map(|(_, text)| text.as_str()).collect();
    for text in &description {
        document.add_text(fields.description, text);
        document.add_text(fields.words, text);
    }
    if let Some(first) = description.first() {
        document.add_text(fields.description_analysed, analysis::encoded_terms(analyzer, first));
    }
    add_terms(&mut document, fields.description_terms, analyzer, &description.join(" "));
    for graph in &resource.graphs {
        document.add_text(fields.graph, graph);
    }
    let mut context_labels = Vec::new();
    let mut within = BTreeSet::new();
    for (link, targets) in &resource.links {
        let field = match *link {
            "concept" => fields.concept,
            "role" => fields.role,
            "phase" => fields.phase,
            "area" => fields.area,
            _ => fields.context,
        };
        for target in targets {
            if field != fields.context {
                document.add_text(field, target);
            }
            if field == fields.area {
                within.extend(places.covering(target));
            }
            if let Some(label) = labels.get(target) {
                document.add_text(fields.context, label);
                document.add_text(fields.words, label);
                context_labels.push(label.as_str());
            }
        }
    }
    for area in within {
        document.add_text(fields.area_within, area);
    }
    add_terms(&mut document, fields.context_terms, analyzer, &context_labels.join(" "));
    if !resource.links.contains_key("area") {
        document.add_text(fields.area, NOT_PLACE_BOUND);
    }
    if resource.kind == "Theme" || resource.kind == "RiskFactor" || resource.kind == "ProtectiveFactor" {
        document.add_text(fields.concept, iri);
    }
    document
}

/// The places an area lies in, itself included, each looked up once per build.
pub(super) struct PlaceClosure<'p> {
    places: &'p Places,
    known: HashMap<String, Vec<String>>,
}

impl<'p> PlaceClosure<'p> {
    pub(super) fn new(places: &'p Places) -> Self {
        Self { places, known: HashMap::new() }
    }

    fn covering(&mut self, area: &str) -> Vec<String> {
        if let Some(known) = self.known.get(area) {
            return known.clone();
        }
        let covering: Vec<String> = match self.places.place_by_iri(area) {
            Some(place) => self.places.covering(place).into_iter().map(|p| self.places[p].iri.clone()).collect(),
            None => vec![area.to_owned()],
        };
        self.known.insert(area.to_owned(), covering.clone());
        covering
    }
}

/// Marks a ranking term as a compound part of a word of the text rather than a word.
pub const PART_MARK: char = '~';

/// Adds the terms of `text` as ranking reads them to the column `field`: each once, compound
/// parts marked with [`PART_MARK`] ("tienerzwangerschap", "~tiener", "~zwangerschap").
fn add_terms(document: &mut TantivyDocument, field: Field, analyzer: &mut TextAnalyzer, text: &str) {
    let mut terms = BTreeSet::new();
    for word in analysis::word_terms(analyzer, text) {
        terms.extend(word.parts.into_iter().map(|part| format!("{PART_MARK}{part}")));
        terms.insert(word.whole);
    }
    for term in terms {
        document.add_text(field, term);
    }
}

/// Adds the folded words of `names` (neither stemmed nor split) to the column `field`, for
/// typo matching.
fn add_words(document: &mut TantivyDocument, field: Field, names: &str) {
    let key = name_key(names);
    let words: BTreeSet<&str> = key.split(' ').filter(|word| !word.is_empty()).collect();
    for word in words {
        document.add_text(field, word);
    }
}

/// The keys of a name: its own, and without a qualifier in brackets ("Kraambuddy (fictief)" is
/// also "kraambuddy", "Bergen (NH.)" also "bergen").
pub fn name_keys(name: &str) -> Vec<String> {
    let mut keys = vec![name_key(name)];
    if let Some((base, _)) = name.split_once(" (") {
        keys.push(name_key(base));
    }
    keys
}

/// Which index field a predicate's value goes to.
fn link_kind(predicate: &str) -> Option<&'static str> {
    let local = predicate.rsplit(['#', '/']).next()?;
    Some(match local {
        "theme" | "riskFactor" | "protectiveFactor" | "broader" | "narrower" | "related" => "concept",
        "forRole" => "role",
        "forPhase" => "phase",
        "areaServed" | "spatialCoverage" => "area",
        "provider" | "publisher" | "implements" | "partOfProgramme" | "describes" | "referTo" | "figure" => "context",
        _ => return None,
    })
}

/// The first two values of a row, when both are bound.
fn pair(row: &Row) -> Option<(String, String)> {
    Some((row.first()?.clone()?, row.get(1)?.clone()?))
}
