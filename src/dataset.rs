//! The description of the dataset itself: VoID and DCAT for `/.well-known/void`, one subset per
//! named graph (its size, source and licence, also served at the graph's own IRI), the dumps,
//! and the list of every resource for the sitemap.

use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Triple, vocab::rdf, vocab::xsd};

use crate::graph_data::ONTOLOGY_GRAPH;
use crate::linked_data::{Document, LinkedDataError, PublicBase};
use crate::store::KnowledgeStore;
use crate::vocab;

const VOID: &str = "http://rdfs.org/ns/void#";
const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCT: &str = "http://purl.org/dc/terms/";
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
const CC_BY: &str = "https://creativecommons.org/licenses/by/4.0/";

/// The named graphs kansrijk publishes, with where their facts come from and under which
/// licence: (graph name, Dutch title, source resources, licence statement in Dutch).
const SOURCE_GRAPHS: &[(&str, &str, &[&str], &str)] = &[
    (
        "factsheet",
        "Kansrijke Start voor de Huisartsenpraktijk, als gegevens",
        &["bron/factsheet-huisartsenpraktijk"],
        "Beschrijvingen in eigen woorden van kansrijk onder CC BY 4.0; de feiten komen uit de factsheet Kansrijke Start voor de Huisartsenpraktijk (VWS), die als bron bij elk gegeven staat.",
    ),
    (
        "aankondiging",
        "Aankondiging van de factsheet, als gegevens",
        &["bron/aankondiging-factsheet"],
        "Beschrijvingen in eigen woorden van kansrijk onder CC BY 4.0; de feiten komen uit de aankondiging van de factsheet, die als bron bij elk gegeven staat.",
    ),
    (
        "cbs-regio",
        "Gemeenten, GGD-regio's, provincies en postcodegebieden",
        &["bron/cbs-gebieden-2025", "bron/cbs-postcode-2024"],
        "Gegevens van het Centraal Bureau voor de Statistiek (CBS) onder CC BY 4.0, met bronvermelding CBS.",
    ),
    (
        ONTOLOGY_GRAPH,
        "De kansrijk-ontologie",
        &[],
        "De ontologie van kansrijk onder CC BY 4.0.",
    ),
];

/// The IRI of the dataset as a whole.
pub fn dataset_iri() -> String {
    format!("{}id/dataset/kansrijk", vocab::BASE)
}

struct Builder {
    triples: Vec<Triple>,
}

impl Builder {
    fn add(&mut self, subject: &str, predicate: &str, object: impl Into<Term>) {
        self.triples.push(Triple::new(NamedNode::new_unchecked(subject), NamedNode::new_unchecked(predicate), object));
    }

    fn link(&mut self, subject: &str, predicate: &str, object: &str) {
        self.add(subject, predicate, NamedNode::new_unchecked(object));
    }

    fn text(&mut self, subject: &str, predicate: &str, text: &str) {
        self.add(subject, predicate, Literal::new_language_tagged_literal_unchecked(text, "nl"));
    }

    fn count(&mut self, subject: &str, count: usize) {
        self.add(subject, &format!("{VOID}triples"), Literal::new_typed_literal(count.to_string(), xsd::INTEGER));
    }
}

/// The VoID and DCAT description of what the store holds. Addresses (endpoint, dumps) are
/// under the published base, where the w3id redirect or `--base` makes them reachable.
pub fn void(store: &KnowledgeStore, base: &PublicBase) -> Result<Document, LinkedDataError> {
    let dataset = dataset_iri();
    let at = |path: &str| base.publish(&format!("{}{path}", vocab::BASE));
    let mut void = Builder { triples: Vec::new() };
    let rdf_type = rdf::TYPE.as_str();
    void.link(&dataset, rdf_type, &format!("{VOID}Dataset"));
    void.link(&dataset, rdf_type, &format!("{DCAT}Dataset"));
    void.text(&dataset, &format!("{SKOS}prefLabel"), "Kennisgraaf Kansrijke Start");
    void.text(&dataset, &format!("{DCT}title"), "Kennisgraaf Kansrijke Start");
    void.text(
        &dataset,
        &format!("{DCT}description"),
        "Thema's, risico- en beschermende factoren, instrumenten, organisaties, aanbod en regio's van het programma Kansrijke Start \
         (de eerste 1000 dagen), voor huisartsenpraktijken, sociale kaarten en verwijsgidsen.",
    );
    void.link(&dataset, &format!("{DCT}license"), CC_BY);
    void.link(&dataset, &format!("{VOID}sparqlEndpoint"), &at("sparql"));
    void.add(&dataset, &format!("{VOID}uriSpace"), Literal::new_simple_literal(base.publish(vocab::ID)));
    for vocabulary in ["http://schema.org/", SKOS, DCT, "http://www.w3.org/ns/prov#", vocab::DEF] {
        void.link(&dataset, &format!("{VOID}vocabulary"), &base.publish(vocabulary));
    }
    for example in ["id/thema/geldzorgen", "id/instrument/zorgpadentool", "id/gemeente/gm0358"] {
        void.link(&dataset, &format!("{VOID}exampleResource"), &at(example));
    }
    void.link(&dataset, &format!("{VOID}rootResource"), &at("id/schema/themas"));
    for (file, media_type) in [("dump.nq.gz", "application/n-quads"), ("dump.ttl.gz", "text/turtle")] {
        let download = at(file);
        void.link(&dataset, &format!("{VOID}dataDump"), &download);
        let distribution = format!("{dataset}/{file}");
        void.link(&dataset, &format!("{DCAT}distribution"), &distribution);
        void.link(&distribution, rdf_type, &format!("{DCAT}Distribution"));
        void.link(&distribution, &format!("{DCAT}downloadURL"), &download);
        void.add(&distribution, &format!("{DCAT}mediaType"), Literal::new_simple_literal(media_type));
        void.add(&distribution, &format!("{DCAT}compressFormat"), Literal::new_simple_literal("application/gzip"));
        void.link(&distribution, &format!("{DCT}license"), CC_BY);
    }
    let mut total = 0;
    for (name, title, sources, licence) in SOURCE_GRAPHS {
        let graph = vocab::graph_iri(name);
        let size = store.graph_len(&graph)?;
        total += size;
        let graph = graph.as_str();
        void.link(&dataset, &format!("{VOID}subset"), graph);
        void.link(graph, rdf_type, &format!("{VOID}Dataset"));
        void.text(graph, &format!("{SKOS}prefLabel"), title);
        void.text(graph, &format!("{DCT}title"), title);
        void.text(graph, &format!("{DCT}rights"), licence);
        void.link(graph, &format!("{DCT}license"), CC_BY);
        void.count(graph, size);
        for source in *sources {
            void.link(graph, &format!("{DCT}source"), &format!("{}{source}", vocab::ID));
        }
    }
    void.count(&dataset, total);
    Ok(Document { subject: NamedNode::new_unchecked(dataset), triples: void.triples })
}

/// The description of one published named graph (`graph/factsheet`), or `None`.
pub fn graph(store: &KnowledgeStore, base: &PublicBase, iri: &str) -> Result<Option<Document>, LinkedDataError> {
    let void = void(store, base)?;
    let subject = NamedNode::new_unchecked(iri);
    let triples: Vec<Triple> = void
        .triples
        .into_iter()
        .filter(|triple| matches!(&triple.subject, NamedOrBlankNode::NamedNode(node) if *node == subject))
        .collect();
    Ok((!triples.is_empty()).then_some(Document { subject, triples }))
}

/// Every resource kansrijk publishes under `id/`, for the sitemap.
pub fn resources(store: &KnowledgeStore) -> Result<Vec<String>, LinkedDataError> {
    let query = format!("SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), \"{}\")) }} ORDER BY ?s", vocab::ID);
    Ok(store.select(&query)?.into_iter().filter_map(|row| row.into_iter().next().flatten()).collect())
}
