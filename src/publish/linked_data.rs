//! Linked data: the document that answers a dereferenced kansrijk IRI.
//!
//! A resource's document is its symmetric concise bounded description (every triple with the
//! resource as subject or object, following blank nodes from the subject side) plus the Dutch
//! and English labels of every resource it links to, so that a program can show the links
//! without fetching each one. The ontology (`/def`) is the whole ontology graph. Documents are
//! written as Turtle, N-Triples, RDF/XML or JSON-LD with a schema.org-friendly context, and
//! can be rebased: a deployment under another base publishes its IRIs under that base.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{
    BlankNode, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef, Triple,
    vocab::rdf, vocab::rdfs, vocab::xsd,
};
use serde_json::{Map, Value, json};

use crate::data::{self, ONTOLOGY_GRAPH};
use crate::rdf::kinds;
use crate::rdf::vocab::{self, schema, skos};
use crate::store::{StoreError, StoreView};

#[derive(Debug, thiserror::Error)]
pub enum LinkedDataError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the document: {0}")]
    Write(#[from] std::io::Error),
    #[error("the base {0:?} is not an absolute IRI ending in '/'")]
    InvalidBase(String),
    #[error("the embedded shapes: {0}")]
    Shapes(#[from] crate::rdf::files::RdfFileError),
    #[error("the embedded ontology: {0}")]
    Ontology(#[from] data::DataError),
}

/// The formats a document is offered in, by media type and file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentFormat {
    Turtle,
    JsonLd,
    NTriples,
    RdfXml,
}

impl DocumentFormat {
    pub const ALL: [Self; 4] = [Self::Turtle, Self::JsonLd, Self::NTriples, Self::RdfXml];

    pub fn media_type(self) -> &'static str {
        match self {
            Self::Turtle => "text/turtle",
            Self::JsonLd => "application/ld+json",
            Self::NTriples => "application/n-triples",
            Self::RdfXml => "application/rdf+xml",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Turtle => "ttl",
            Self::JsonLd => "jsonld",
            Self::NTriples => "nt",
            Self::RdfXml => "rdf",
        }
    }

    pub fn from_extension(extension: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.extension() == extension)
    }
}

/// Where the published IRIs are served. By default the w3id base itself; a deployment under
/// another base (`--base`) rewrites every IRI under `https://w3id.org/kansrijk/` to its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicBase(String);

impl Default for PublicBase {
    fn default() -> Self {
        Self(vocab::BASE.to_owned())
    }
}

impl PublicBase {
    pub fn new(base: &str) -> Result<Self, LinkedDataError> {
        let valid = base.ends_with('/') && oxiri::Iri::parse(base).is_ok();
        if valid { Ok(Self(base.to_owned())) } else { Err(LinkedDataError::InvalidBase(base.to_owned())) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The published IRI for a path under the base (`id/thema/geldzorgen`).
    pub fn canonical(path: &str) -> String {
        format!("{}{path}", vocab::BASE)
    }

    /// The IRI as this deployment publishes it.
    pub fn publish(&self, iri: &str) -> String {
        match iri.strip_prefix(vocab::BASE) {
            Some(path) => format!("{}{path}", self.0),
            None => iri.to_owned(),
        }
    }

    fn publish_node(&self, node: &NamedNode) -> NamedNode {
        if self.0 == vocab::BASE || !node.as_str().starts_with(vocab::BASE) {
            return node.clone();
        }
        NamedNode::new_unchecked(self.publish(node.as_str()))
    }

    fn publish_triple(&self, triple: &Triple) -> Triple {
        let subject = match &triple.subject {
            NamedOrBlankNode::NamedNode(node) => self.publish_node(node).into(),
            other => other.clone(),
        };
        let object = match &triple.object {
            Term::NamedNode(node) => self.publish_node(node).into(),
            other => other.clone(),
        };
        Triple::new(subject, self.publish_node(&triple.predicate), object)
    }
}

/// The triples that describe one resource, the resource first.
#[derive(Debug, Clone)]
pub struct Document {
    pub subject: NamedNode,
    pub triples: Vec<Triple>,
}

/// The document of a resource, or `None` when the store says nothing about it.
pub fn describe(store: &StoreView, iri: &str) -> Result<Option<Document>, LinkedDataError> {
    let subject = NamedNode::new_unchecked(iri);
    let mut triples = Vec::new();
    let mut seen = HashSet::new();
    let mut subjects = vec![NamedOrBlankNode::from(subject.clone())];
    let mut visited = HashSet::new();
    while let Some(node) = subjects.pop() {
        if !visited.insert(node.clone()) {
            continue;
        }
        for quad in store.quads_for_pattern(Some(node.as_ref()), None, None, None) {
            let quad = quad?;
            if let Term::BlankNode(blank) = &quad.object {
                subjects.push(blank.clone().into());
            }
            push_unique(&mut triples, &mut seen, Triple::from(quad));
        }
    }
    for quad in store.quads_for_pattern(None, None, Some(subject.as_ref().into()), None) {
        push_unique(&mut triples, &mut seen, Triple::from(quad?));
    }
    if triples.is_empty() {
        return Ok(None);
    }
    let linked: BTreeSet<NamedNode> = triples
        .iter()
        .flat_map(|triple| [subject_node(&triple.subject), object_node(&triple.object)])
        .flatten()
        .filter(|node| *node != subject)
        .collect();
    // Classes and properties of the ontology are labelled with rdfs:label, the rest with skos:prefLabel.
    let linked = linked.into_iter().chain(triples.iter().map(|triple| triple.predicate.clone()).collect::<BTreeSet<_>>());
    for node in linked {
        for label in [skos::PREF_LABEL, rdfs::LABEL] {
            for quad in store.quads_for_pattern(Some(node.as_ref().into()), Some(label), None, None) {
                push_unique(&mut triples, &mut seen, Triple::from(quad?));
            }
        }
    }
    Ok(Some(Document { subject, triples }))
}

/// The ontology, served at `/def`.
pub fn ontology(store: &StoreView) -> Result<Document, LinkedDataError> {
    let graph = vocab::graph_iri(ONTOLOGY_GRAPH);
    let triples = store
        .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph.as_ref())))
        .map(|quad| quad.map(Triple::from))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Document { subject: NamedNode::new_unchecked(vocab::DEF.trim_end_matches('#')), triples })
}

/// The SHACL shapes writes are validated against, published at `/def/shapes`.
pub fn shapes() -> Result<Document, LinkedDataError> {
    let quads = crate::rdf::files::read_quads(
        data::SHAPES_FILE,
        data::embedded_shapes(),
        RdfFormat::Turtle,
        &oxigraph::model::GraphName::DefaultGraph,
    )?;
    Ok(Document { subject: NamedNode::new_unchecked(SHAPES_IRI), triples: quads.into_iter().map(Triple::from).collect() })
}

/// Where the shapes are published.
pub const SHAPES_IRI: &str = "https://w3id.org/kansrijk/def/shapes";

fn push_unique(triples: &mut Vec<Triple>, seen: &mut HashSet<Triple>, triple: Triple) {
    if seen.insert(triple.clone()) {
        triples.push(triple);
    }
}

fn subject_node(subject: &NamedOrBlankNode) -> Option<NamedNode> {
    match subject {
        NamedOrBlankNode::NamedNode(node) => Some(node.clone()),
        NamedOrBlankNode::BlankNode(_) => None,
    }
}

fn object_node(object: &Term) -> Option<NamedNode> {
    match object {
        Term::NamedNode(node) => Some(node.clone()),
        _ => None,
    }
}

impl Document {
    /// The document's label in Dutch (or any language), for titles and messages.
    pub fn label(&self) -> Option<&str> {
        self.label_of(self.subject.as_str())
    }

    /// The Dutch label (or any other) of a resource in this document.
    pub fn label_of(&self, iri: &str) -> Option<&str> {
        self.literals(iri, skos::PREF_LABEL)
            .chain(self.literals(iri, rdfs::LABEL))
            .max_by_key(|literal| literal.language() == Some("nl"))
            .map(Literal::value)
    }

    /// The resource's description in Dutch, if any.
    pub fn description(&self) -> Option<&str> {
        self.literals(self.subject.as_str(), schema::DESCRIPTION)
            .max_by_key(|literal| literal.language() == Some("nl"))
            .map(Literal::value)
    }

    fn literals<'a, 'q>(&'a self, iri: &'q str, predicate: NamedNodeRef<'q>) -> impl Iterator<Item = &'a Literal> {
        self.triples.iter().filter_map(move |triple| match (&triple.subject, &triple.object) {
            (NamedOrBlankNode::NamedNode(subject), Term::Literal(literal))
                if subject.as_str() == iri && triple.predicate.as_ref() == predicate =>
            {
                Some(literal)
            }
            _ => None,
        })
    }

    /// Whether the resource is of the class `class_iri`.
    pub fn has_type(&self, class_iri: &str) -> bool {
        self.outgoing().any(|triple| {
            triple.predicate.as_ref() == rdf::TYPE
                && matches!(&triple.object, Term::NamedNode(class) if class.as_str() == class_iri)
        })
    }

    /// The statements with the resource as subject, in document order.
    pub fn outgoing(&self) -> impl Iterator<Item = &Triple> {
        self.about(self.subject.as_ref().into())
    }

    /// The statements with `subject` as subject, in document order: the resource's, or those of
    /// a blank node it links to (an address, a contact point).
    pub fn about<'a>(&'a self, subject: NamedOrBlankNodeRef<'a>) -> impl Iterator<Item = &'a Triple> {
        self.triples.iter().filter(move |triple| triple.subject.as_ref() == subject)
    }

    /// The statements that point at the resource.
    pub fn incoming(&self) -> impl Iterator<Item = &Triple> {
        self.triples.iter().filter(|triple| triple.object.as_ref() == TermRef::from(self.subject.as_ref()))
    }

    /// The document in `format`, with its IRIs as `base` publishes them.
    pub fn write(&self, format: DocumentFormat, base: &PublicBase) -> Result<Vec<u8>, LinkedDataError> {
        let rdf_format = match format {
            DocumentFormat::JsonLd => {
                let json = serde_json::to_vec_pretty(&self.json_ld(base));
                return Ok(json.map_err(|error| std::io::Error::other(error.to_string()))?);
            }
            DocumentFormat::Turtle => RdfFormat::Turtle,
            DocumentFormat::NTriples => RdfFormat::NTriples,
            DocumentFormat::RdfXml => RdfFormat::RdfXml,
        };
        let triples: Vec<Triple> = self.triples.iter().map(|triple| base.publish_triple(triple)).collect();
        write_rdf(rdf_format, &triples, base)
    }

    /// The resource's own statements as schema.org-friendly JSON-LD, for embedding in a page.
    pub fn json_ld(&self, base: &PublicBase) -> Value {
        json_ld(&self.subject, &self.triples, base)
    }
}

fn write_rdf(format: RdfFormat, triples: &[Triple], base: &PublicBase) -> Result<Vec<u8>, LinkedDataError> {
    let mut serializer = RdfSerializer::from_format(format);
    if format != RdfFormat::NTriples {
        for (prefix, namespace) in prefixes(base) {
            serializer = serializer.with_prefix(prefix, namespace).map_err(|error| std::io::Error::other(error.to_string()))?;
        }
    }
    let mut writer = serializer.for_writer(Vec::new());
    for triple in triples {
        writer.serialize_triple(triple)?;
    }
    Ok(writer.finish()?)
}

/// The vocabulary prefixes plus one per kind of kansrijk instance (`thema:`, `gemeente:`, ...).
fn prefixes(base: &PublicBase) -> Vec<(String, String)> {
    let mut prefixes: Vec<(String, String)> =
        vocab::PREFIXES.iter().map(|(prefix, namespace)| ((*prefix).to_owned(), base.publish(namespace))).collect();
    prefixes.extend(kinds::KINDS.iter().map(|kind| (kind.prefix.to_owned(), base.publish(&kind.instances()))));
    prefixes
}

/// The `@context` of kansrijk's JSON-LD: schema.org terms as plain words, the other vocabularies
/// by prefix.
pub fn json_ld_context(base: &PublicBase) -> Value {
    let mut context = Map::new();
    context.insert("@vocab".to_owned(), Value::from(schema::NAMESPACE));
    for (prefix, namespace) in vocab::PREFIXES.iter().filter(|(prefix, _)| *prefix != "schema") {
        context.insert((*prefix).to_owned(), Value::from(base.publish(namespace)));
    }
    Value::Object(context)
}

/// Compacts the triples by hand with [`json_ld_context`]: Oxigraph writes JSON-LD with full
/// IRIs as keys, which is correct but not what schema.org consumers expect to read. Keys are
/// compacted from the canonical IRIs; the context maps the prefixes to the published ones.
fn json_ld(subject: &NamedNode, triples: &[Triple], base: &PublicBase) -> Value {
    let mut nodes: BTreeMap<(bool, String), Map<String, Value>> = BTreeMap::new();
    for triple in triples {
        let id = match &triple.subject {
            NamedOrBlankNode::NamedNode(node) => base.publish(node.as_str()),
            NamedOrBlankNode::BlankNode(blank) => blank_id(blank),
        };
        let order = (id != base.publish(subject.as_str()), id.clone());
        let node = nodes.entry(order).or_insert_with(|| {
            let mut node = Map::new();
            node.insert("@id".to_owned(), Value::from(id));
            node
        });
        let (key, value) = if triple.predicate.as_ref() == rdf::TYPE {
            let Term::NamedNode(class) = &triple.object else { continue };
            ("@type".to_owned(), Value::from(compact(class.as_str(), base)))
        } else {
            (compact(triple.predicate.as_str(), base), json_value(&triple.object, base))
        };
        match node.get_mut(&key) {
            Some(Value::Array(values)) => values.push(value),
            _ => {
                node.insert(key, Value::Array(vec![value]));
            }
        }
    }
    json!({
        "@context": json_ld_context(base),
        "@graph": nodes.into_values().map(Value::Object).collect::<Vec<_>>(),
    })
}

fn blank_id(blank: &BlankNode) -> String {
    format!("_:{}", blank.as_str())
}

/// `http://schema.org/name` → `name`; `http://www.w3.org/2004/02/skos/core#prefLabel` →
/// `skos:prefLabel`; anything else stays a full (published) IRI.
fn compact(iri: &str, base: &PublicBase) -> String {
    if let Some(term) = iri.strip_prefix(schema::NAMESPACE).filter(|term| !term.contains(['/', '#', ':'])) {
        return term.to_owned();
    }
    vocab::PREFIXES
        .iter()
        .filter(|(prefix, _)| *prefix != "schema")
        .find_map(|(prefix, namespace)| {
            iri.strip_prefix(namespace)
                .filter(|local| !local.is_empty() && !local.contains(['/', '#']))
                .map(|local| format!("{prefix}:{local}"))
        })
        .unwrap_or_else(|| base.publish(iri))
}

fn json_value(object: &Term, base: &PublicBase) -> Value {
    match object {
        Term::NamedNode(node) => json!({ "@id": base.publish(node.as_str()) }),
        Term::BlankNode(blank) => json!({ "@id": blank_id(blank) }),
        Term::Literal(literal) => literal_value(literal, base),
        Term::Triple(_) => Value::Null,
    }
}

fn literal_value(literal: &Literal, base: &PublicBase) -> Value {
    if let Some(language) = literal.language() {
        json!({ "@value": literal.value(), "@language": language })
    } else if literal.datatype() == xsd::STRING {
        Value::from(literal.value())
    } else {
        json!({ "@value": literal.value(), "@type": compact(literal.datatype().as_str(), base) })
    }
}
