//! The IRIs kansrijk publishes and the external vocabularies it builds on.
//!
//! Everything that names a namespace, a named graph or a vocabulary term lives here, so that
//! the published IRIs (which never change) are written down in one place.

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{NamedNode, NamedNodeRef};
use oxigraph::sparql::SparqlEvaluator;

/// Root of every IRI kansrijk mints.
pub const BASE: &str = "https://w3id.org/kansrijk/";
/// Namespace of the kansrijk ontology (`kr:`).
pub const DEF: &str = "https://w3id.org/kansrijk/def#";
/// Namespace of instance data.
pub const ID: &str = "https://w3id.org/kansrijk/id/";
/// Namespace of SKOS.
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
/// Namespace of the named graphs, one per source.
pub const GRAPH: &str = "https://w3id.org/kansrijk/graph/";

/// The named graph that describes the other graphs (content hashes of the base data).
pub const META_GRAPH: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("https://w3id.org/kansrijk/graph/meta");

/// `kr:contentHash`: the SHA-256 of the files a base graph was loaded from.
pub const CONTENT_HASH: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("https://w3id.org/kansrijk/def#contentHash");

/// `kr:fictional`: marks a resource or graph as made up for demonstration (the demo map).
pub const FICTIONAL: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("https://w3id.org/kansrijk/def#fictional");

/// `prov:wasGeneratedBy`: links a written graph to the activity (import, update) that wrote it.
pub const WAS_GENERATED_BY: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("http://www.w3.org/ns/prov#wasGeneratedBy");

/// Stands for the default graph in provenance statements, which need a node to talk about.
pub const DEFAULT_GRAPH_NODE: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("https://w3id.org/kansrijk/graph/standaard");

/// Prefixes used when kansrijk writes Turtle or TriG, and offered to SPARQL users.
pub const PREFIXES: &[(&str, &str)] = &[
    ("kr", DEF),
    ("schema", "http://schema.org/"),
    ("skos", SKOS),
    ("dct", "http://purl.org/dc/terms/"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("void", "http://rdfs.org/ns/void#"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
];

/// `http://schema.org/provider` → `schema:provider`, by [`PREFIXES`]; other IRIs as they are.
pub fn compact(iri: &str) -> String {
    PREFIXES
        .iter()
        .find_map(|(prefix, namespace)| iri.strip_prefix(namespace).map(|local| format!("{prefix}:{local}")))
        .unwrap_or_else(|| iri.to_owned())
}

/// A SPARQL parser that knows [`PREFIXES`], so queries and updates may use them undeclared.
pub fn sparql_parser() -> spargebra::SparqlParser {
    PREFIXES.iter().fold(spargebra::SparqlParser::new(), |parser, (prefix, namespace)| {
        parser.with_prefix(*prefix, *namespace).expect("PREFIXES are valid IRIs")
    })
}

/// A SPARQL evaluator that knows [`PREFIXES`], for kansrijk's own queries.
pub fn sparql_evaluator() -> SparqlEvaluator {
    PREFIXES.iter().fold(SparqlEvaluator::new(), |evaluator, (prefix, namespace)| {
        evaluator.with_prefix(*prefix, *namespace).expect("PREFIXES are valid IRIs")
    })
}

/// A serializer for `format` that writes [`PREFIXES`] where the format has prefixes.
pub fn rdf_serializer(format: RdfFormat) -> RdfSerializer {
    PREFIXES.iter().fold(RdfSerializer::from_format(format), |serializer, (prefix, namespace)| {
        serializer.with_prefix(*prefix, *namespace).expect("PREFIXES are valid IRIs")
    })
}

/// The IRI of the named graph called `name` (e.g. `factsheet`).
pub fn graph_iri(name: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{GRAPH}{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_may_use_the_predeclared_prefixes() {
        let query = "SELECT ?label WHERE { ?theme a kr:Theme ; skos:prefLabel ?label }";
        assert!(sparql_parser().parse_query(query).is_ok());
        assert!(sparql_evaluator().parse_query(query).is_ok());
        assert!(sparql_parser().parse_query("SELECT * WHERE { ?s onbekend:p ?o }").is_err());
    }

    #[test]
    fn turtle_output_declares_the_prefixes() {
        let mut writer = rdf_serializer(RdfFormat::Turtle).for_writer(Vec::new());
        writer
            .serialize_triple(oxigraph::model::TripleRef::new(
                NamedNodeRef::new_unchecked("https://w3id.org/kansrijk/id/thema/stress"),
                NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#prefLabel"),
                oxigraph::model::LiteralRef::new_language_tagged_literal_unchecked("Stress", "nl"),
            ))
            .expect("serialized");
        let turtle = String::from_utf8(writer.finish().expect("finished")).expect("utf-8");
        assert!(turtle.contains("@prefix skos: <http://www.w3.org/2004/02/skos/core#>"), "{turtle}");
        assert!(turtle.contains("skos:prefLabel"), "{turtle}");
    }
}
