//! The ontology reference for integrators: per class of the kansrijk ontology its Dutch name and
//! explanation, and what its SHACL shape requires and allows, read from the ontology and the
//! shapes themselves so that the reference cannot drift from what writes are checked against;
//! per property its Dutch name and explanation; and the example offers of `examples/`.
//!
//! ```
//! let reference = kansrijk::publish::ontology::Reference::embedded()?;
//! let offer = reference.classes.iter().find(|class| class.name == "Offer").expect("kr:Offer");
//! let required: Vec<&String> = offer.rules.iter().filter(|rule| rule.required).flat_map(|rule| &rule.paths).collect();
//! assert!(required.contains(&&"schema:provider".to_owned()));
//! # Ok::<(), kansrijk::publish::linked_data::LinkedDataError>(())
//! ```

use std::collections::HashMap;

use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple, vocab::rdf};

use crate::data;
use crate::publish::linked_data::{self, Document, LinkedDataError};
use crate::rdf::vocab::{self, owl, rdfs, sh};

/// A minimal valid offer in Turtle (`examples/aanbod.ttl`).
pub const EXAMPLE_TURTLE: &str = include_str!("../../examples/aanbod.ttl");
/// The same kind of offer in Open Referral HSDS 3.0 JSON (`examples/aanbod.hsds.json`).
pub const EXAMPLE_HSDS: &str = include_str!("../../examples/aanbod.hsds.json");

/// The reference: classes and properties of the `kr:` vocabulary, in the ontology's order of names.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    pub classes: Vec<ClassReference>,
    pub properties: Vec<PropertyReference>,
}

/// One class: what it is and what its shape asks of its instances.
#[derive(Debug, Clone)]
pub struct ClassReference {
    pub iri: String,
    /// The local name, also the anchor on `/def` (`/def#Offer`).
    pub name: String,
    pub label: String,
    pub comment: String,
    /// The rules of its shape, required ones first.
    pub rules: Vec<Rule>,
}

/// One property shape of a class's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The properties the rule is about, compact (`schema:provider`); several when any of them will do.
    pub paths: Vec<String>,
    /// Whether an instance must have a value for it.
    pub required: bool,
    /// The shape's own Dutch message, which a rejected write also shows.
    pub message: String,
}

/// One property of the vocabulary.
#[derive(Debug, Clone)]
pub struct PropertyReference {
    pub iri: String,
    pub name: String,
    pub label: String,
    pub comment: String,
}

/// Subject → its (predicate, object) pairs.
struct Graph<'a> {
    by_subject: HashMap<String, Vec<(&'a str, &'a Term)>>,
}

impl<'a> Graph<'a> {
    fn new(triples: &'a [Triple]) -> Self {
        let mut by_subject: HashMap<String, Vec<(&'a str, &'a Term)>> = HashMap::new();
        for triple in triples {
            by_subject.entry(node_key(&triple.subject)).or_default().push((triple.predicate.as_str(), &triple.object));
        }
        Self { by_subject }
    }

    fn objects<'s>(&'s self, subject: &str, predicate: &'s str) -> impl Iterator<Item = &'a Term> + 's {
        self.by_subject
            .get(subject)
            .into_iter()
            .flatten()
            .filter(move |(found, _)| *found == predicate)
            .map(|(_, object)| *object)
    }

    fn subjects_with(&self, predicate: &str, object: &str) -> Vec<&str> {
        let mut subjects: Vec<&str> = self
            .by_subject
            .iter()
            .filter(|(_, pairs)| pairs.iter().any(|(p, o)| *p == predicate && term_key(o) == object))
            .map(|(subject, _)| subject.as_str())
            .collect();
        subjects.sort_unstable();
        subjects
    }

    /// The Dutch text of `predicate`, else any text.
    fn dutch(&self, subject: &str, predicate: &str) -> String {
        let texts: Vec<&oxigraph::model::Literal> = self
            .objects(subject, predicate)
            .filter_map(|term| match term {
                Term::Literal(literal) => Some(literal),
                _ => None,
            })
            .collect();
        texts
            .iter()
            .find(|literal| literal.language() == Some("nl"))
            .or_else(|| texts.first())
            .map_or_else(String::new, |literal| literal.value().to_owned())
    }

    fn count(&self, subject: &str, predicate: &str) -> u64 {
        self.objects(subject, predicate)
            .filter_map(|term| match term {
                Term::Literal(literal) => literal.value().parse().ok(),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }

    /// The members of the RDF list that starts at `head`.
    fn list(&self, head: &Term) -> Vec<&'a Term> {
        let mut members = Vec::new();
        let mut node = term_key(head);
        while node != rdf::NIL.as_str() && members.len() < 64 {
            let Some(first) = self.objects(&node, rdf::FIRST.as_str()).next() else { break };
            members.push(first);
            let Some(rest) = self.objects(&node, rdf::REST.as_str()).next() else { break };
            node = term_key(rest);
        }
        members
    }
}

fn node_key(node: &NamedOrBlankNode) -> String {
    match node {
        NamedOrBlankNode::NamedNode(node) => node.as_str().to_owned(),
        NamedOrBlankNode::BlankNode(node) => format!("_:{}", node.as_str()),
    }
}

fn term_key(term: &Term) -> String {
    match term {
        Term::NamedNode(node) => node.as_str().to_owned(),
        Term::BlankNode(node) => format!("_:{}", node.as_str()),
        other => other.to_string(),
    }
}

impl Reference {
    /// The reference of the ontology and shapes embedded in this binary, which are what the
    /// store serves at `/def` and what writes are checked against.
    pub fn embedded() -> Result<Self, LinkedDataError> {
        let ontology = data::embedded_graphs()
            .into_iter()
            .find(|graph| graph.name == data::ONTOLOGY_GRAPH)
            .map(|graph| graph.quads())
            .transpose()?
            .unwrap_or_default();
        let ontology = Document {
            subject: NamedNode::new_unchecked(vocab::DEF.trim_end_matches('#')),
            triples: ontology.into_iter().map(Triple::from).collect(),
        };
        Ok(Self::from_documents(&ontology, &linked_data::shapes()?))
    }

    /// The reference of the vocabulary in `ontology`, with the rules of `shapes`.
    pub fn from_documents(ontology: &Document, shapes: &Document) -> Self {
        let terms = Graph::new(&ontology.triples);
        let shapes = Graph::new(&shapes.triples);
        let ours = |iri: &&str| iri.starts_with(vocab::DEF);
        let name_of = |iri: &str| iri.trim_start_matches(vocab::DEF).to_owned();
        let mut classes: Vec<ClassReference> = terms
            .subjects_with(rdf::TYPE.as_str(), owl::CLASS.as_str())
            .into_iter()
            .filter(ours)
            .map(|iri| ClassReference {
                iri: iri.to_owned(),
                name: name_of(iri),
                label: terms.dutch(iri, rdfs::LABEL.as_str()),
                comment: terms.dutch(iri, rdfs::COMMENT.as_str()),
                rules: rules_for(&shapes, iri),
            })
            .collect();
        classes.sort_by(|a, b| a.name.cmp(&b.name));
        let mut properties: Vec<PropertyReference> = [owl::OBJECT_PROPERTY, owl::DATATYPE_PROPERTY, owl::ANNOTATION_PROPERTY]
            .into_iter()
            .flat_map(|kind| terms.subjects_with(rdf::TYPE.as_str(), kind.as_str()))
            .filter(ours)
            .map(|iri| PropertyReference {
                iri: iri.to_owned(),
                name: name_of(iri),
                label: terms.dutch(iri, rdfs::LABEL.as_str()),
                comment: terms.dutch(iri, rdfs::COMMENT.as_str()),
            })
            .collect();
        properties.sort_by(|a, b| a.name.cmp(&b.name));
        properties.dedup_by(|a, b| a.iri == b.iri);
        Self { classes, properties }
    }
}

/// The rules of every shape that targets `class`, required ones first, each once.
fn rules_for(shapes: &Graph<'_>, class: &str) -> Vec<Rule> {
    let mut rules: Vec<Rule> = Vec::new();
    for shape in shapes.subjects_with(sh::TARGET_CLASS.as_str(), class) {
        for property in shapes.objects(shape, sh::PROPERTY.as_str()) {
            let property = term_key(property);
            let paths = shapes
                .objects(&property, sh::PATH.as_str())
                .flat_map(|path| match path {
                    Term::NamedNode(node) => vec![vocab::compact(node.as_str())],
                    other => shapes
                        .objects(&term_key(other), sh::ALTERNATIVE_PATH.as_str())
                        .flat_map(|list| shapes.list(list))
                        .map(|member| vocab::compact(&term_key(member)))
                        .collect(),
                })
                .collect::<Vec<_>>();
            if paths.is_empty() {
                continue;
            }
            let required = shapes.count(&property, sh::MIN_COUNT.as_str()) > 0
                || shapes.count(&property, sh::QUALIFIED_MIN_COUNT.as_str()) > 0;
            let rule = Rule { paths, required, message: shapes.dutch(&property, sh::MESSAGE.as_str()) };
            if !rules.contains(&rule) {
                rules.push(rule);
            }
        }
    }
    rules.sort_by_key(|rule| (!rule.required, rule.paths.clone()));
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> Reference {
        Reference::embedded().expect("the embedded ontology and shapes parse")
    }

    #[test]
    fn an_offer_requires_what_its_shape_requires() {
        let reference = reference();
        let offer = reference.classes.iter().find(|class| class.name == "Offer").expect("kr:Offer");
        assert_eq!(offer.label, "Aanbod");
        let required: Vec<&str> =
            offer.rules.iter().filter(|rule| rule.required).flat_map(|rule| rule.paths.iter().map(String::as_str)).collect();
        for path in ["skos:prefLabel", "schema:description", "schema:provider", "schema:areaServed", "dct:source"] {
            assert!(required.contains(&path), "{path} is required of an offer: {required:?}");
        }
        let allowed: Vec<&str> =
            offer.rules.iter().filter(|rule| !rule.required).flat_map(|rule| rule.paths.iter().map(String::as_str)).collect();
        assert!(allowed.contains(&"kr:theme"), "kr:theme is allowed: {allowed:?}");
        assert!(offer.rules.iter().all(|rule| !rule.message.is_empty()), "every rule explains itself");
    }

    #[test]
    fn a_source_may_name_its_publisher_in_any_of_three_ways() {
        let reference = reference();
        let source = reference.classes.iter().find(|class| class.name == "Source").expect("kr:Source");
        let publisher =
            source.rules.iter().find(|rule| rule.paths.contains(&"dct:publisher".to_owned())).expect("publisher rule");
        assert!(publisher.required);
        assert_eq!(publisher.paths, ["dct:publisher", "schema:publisher", "schema:legislationResponsible"]);
    }
}
