//! The description of the dataset itself: VoID and DCAT for `/.well-known/void`, one subset per
//! named graph (its size, source and licence, also served at the graph's own IRI), the gzipped
//! dumps, and the sitemap of every resource. Each reads much of the store, so [`DatasetCache`]
//! keeps them for one state of the store, with a [`fingerprint`] of what is served.

use std::io::Write;

use bytes::Bytes;
use flate2::Compression;
use flate2::write::GzEncoder;
use once_cell::sync::OnceCell;
use oxigraph::io::RdfFormat;
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Triple, vocab::rdf, vocab::xsd};
use sha2::{Digest, Sha256};

use crate::data::{self, ONTOLOGY_GRAPH};
use crate::publish::linked_data::{Document, LinkedDataError, PublicBase};
use crate::rdf::vocab::{self, dcat, dct, kr, prov, schema, skos, void};
use crate::store::StoreView;

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
    (ONTOLOGY_GRAPH, "De kansrijk-ontologie", &[], "De ontologie van kansrijk onder CC BY 4.0."),
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
        self.add(subject, void::TRIPLES.as_str(), Literal::new_typed_literal(count.to_string(), xsd::INTEGER));
    }
}

/// The VoID and DCAT description of what the store holds. Addresses (endpoint, dumps) are
/// under the published base, where the w3id redirect or `--base` makes them reachable.
fn void(store: &StoreView, base: &PublicBase) -> Result<Document, LinkedDataError> {
    let dataset = dataset_iri();
    let at = |path: &str| base.publish(&format!("{}{path}", vocab::BASE));
    let mut void = Builder { triples: Vec::new() };
    let rdf_type = rdf::TYPE.as_str();
    void.link(&dataset, rdf_type, void::DATASET.as_str());
    void.link(&dataset, rdf_type, dcat::DATASET.as_str());
    void.text(&dataset, skos::PREF_LABEL.as_str(), "Kennisgraaf Kansrijke Start");
    void.text(&dataset, dct::TITLE.as_str(), "Kennisgraaf Kansrijke Start");
    void.text(
        &dataset,
        dct::DESCRIPTION.as_str(),
        "Thema's, risico- en beschermende factoren, instrumenten, organisaties, aanbod en regio's van het programma Kansrijke Start \
         (de eerste 1000 dagen), voor huisartsenpraktijken, sociale kaarten en verwijsgidsen.",
    );
    void.link(&dataset, dct::LICENSE.as_str(), CC_BY);
    void.link(&dataset, void::SPARQL_ENDPOINT.as_str(), &at("sparql"));
    void.add(&dataset, void::URI_SPACE.as_str(), Literal::new_simple_literal(base.publish(vocab::ID)));
    for vocabulary in [schema::NAMESPACE, skos::NAMESPACE, dct::NAMESPACE, prov::NAMESPACE, kr::NAMESPACE] {
        void.link(&dataset, void::VOCABULARY.as_str(), &base.publish(vocabulary));
    }
    for example in ["id/thema/geldzorgen", "id/instrument/zorgpadentool", "id/gemeente/gm0358"] {
        void.link(&dataset, void::EXAMPLE_RESOURCE.as_str(), &at(example));
    }
    void.link(&dataset, void::ROOT_RESOURCE.as_str(), &at("id/schema/themas"));
    for (file, media_type) in [("dump.nq.gz", "application/n-quads"), ("dump.ttl.gz", "text/turtle")] {
        let download = at(file);
        void.link(&dataset, void::DATA_DUMP.as_str(), &download);
        let distribution = format!("{dataset}/{file}");
        void.link(&dataset, dcat::DISTRIBUTION.as_str(), &distribution);
        void.link(&distribution, rdf_type, dcat::DISTRIBUTION_CLASS.as_str());
        void.link(&distribution, dcat::DOWNLOAD_URL.as_str(), &download);
        void.add(&distribution, dcat::MEDIA_TYPE.as_str(), Literal::new_simple_literal(media_type));
        void.add(&distribution, dcat::COMPRESS_FORMAT.as_str(), Literal::new_simple_literal("application/gzip"));
        void.link(&distribution, dct::LICENSE.as_str(), CC_BY);
    }
    for (name, title, sources, licence) in SOURCE_GRAPHS {
        let graph = vocab::graph_iri(name);
        let size = store.graph_len(&graph)?;
        let graph = graph.as_str();
        void.link(&dataset, void::SUBSET.as_str(), graph);
        void.link(graph, rdf_type, void::DATASET.as_str());
        void.text(graph, skos::PREF_LABEL.as_str(), title);
        void.text(graph, dct::TITLE.as_str(), title);
        void.text(graph, dct::RIGHTS.as_str(), licence);
        void.link(graph, dct::LICENSE.as_str(), CC_BY);
        void.count(graph, size);
        for source in *sources {
            void.link(graph, dct::SOURCE.as_str(), &format!("{}{source}", vocab::ID));
        }
    }
    let demo = NamedNode::new_unchecked(data::DEMO_GRAPH);
    let demo_size = store.graph_len(&demo)?;
    if demo_size > 0 {
        let demo = demo.as_str();
        void.link(&dataset, void::SUBSET.as_str(), demo);
        void.link(demo, rdf_type, void::DATASET.as_str());
        void.text(demo, skos::PREF_LABEL.as_str(), "Demo-sociale kaart (fictief)");
        void.text(demo, dct::TITLE.as_str(), "Demo-sociale kaart (fictief)");
        void.text(
            demo,
            dct::DESCRIPTION.as_str(),
            "Een verzonnen sociale kaart om kansrijk mee te laten zien; niets hierin bestaat echt, en elk onderdeel draagt kr:fictional true.",
        );
        void.add(demo, vocab::FICTIONAL.as_str(), Literal::from(true));
        void.count(demo, demo_size);
    }
    // The dataset is what its dumps hold: the source graphs and every graph written since.
    void.count(&dataset, store.len()?);
    Ok(Document { subject: NamedNode::new_unchecked(dataset), triples: void.triples })
}

/// The description of one published named graph (`graph/factsheet`) within `void`, or `None`.
fn graph(void: &Document, iri: &str) -> Option<Document> {
    let subject = NamedNode::new_unchecked(iri);
    let triples: Vec<Triple> = void
        .triples
        .iter()
        .filter(|triple| matches!(&triple.subject, NamedOrBlankNode::NamedNode(node) if *node == subject))
        .cloned()
        .collect();
    (!triples.is_empty()).then_some(Document { subject, triples })
}

/// Every resource kansrijk publishes under `id/`, for the sitemap.
fn resources(store: &StoreView) -> Result<Vec<String>, LinkedDataError> {
    let query = format!("SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), \"{}\")) }} ORDER BY ?s", vocab::ID);
    Ok(store.select(&query)?.into_iter().filter_map(|row| row.into_iter().next().flatten()).collect())
}

/// `sitemap.xml`: the home page, the query page and every resource, as `base` publishes them.
fn sitemap(store: &StoreView, base: &PublicBase) -> Result<Vec<u8>, LinkedDataError> {
    let pages = ["", "sparql"].map(|path| format!("{}{path}", vocab::BASE));
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages.into_iter().chain(resources(store)?) {
        xml.push_str("<url><loc>");
        xml.push_str(&xml_text(&base.publish(&page)));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    Ok(xml.into_bytes())
}

/// `text` escaped for XML character data; the sitemap protocol asks for all five entities.
fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// The whole store in `format`, gzipped.
fn gzipped_dump(store: &StoreView, format: RdfFormat) -> Result<Vec<u8>, LinkedDataError> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    store.dump(format, &mut encoder)?;
    encoder.flush()?;
    Ok(encoder.finish()?)
}

/// A strong entity tag for `bytes`: the first 128 bits of their SHA-256, in hex. Derived from
/// the content, so it stays valid across writes that change nothing and across restarts.
pub fn fingerprint(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..16].iter().map(|byte| format!("{byte:02x}")).collect()
}

/// What a client is sent: the bytes and their [`fingerprint`].
#[derive(Debug, Clone)]
pub struct Rendered {
    pub bytes: Bytes,
    pub fingerprint: String,
}

impl Rendered {
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        Self { fingerprint: fingerprint(&bytes), bytes }
    }
}

/// The dataset's files, served whole as they were computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatasetFile {
    /// `sitemap.xml`.
    Sitemap,
    /// `dump.nq.gz`: every graph as gzipped N-Quads.
    QuadsDump,
    /// `dump.ttl.gz`: the union of the graphs as gzipped Turtle.
    TurtleDump,
}

impl DatasetFile {
    const COUNT: usize = 3;

    fn compute(self, store: &StoreView, base: &PublicBase) -> Result<Vec<u8>, LinkedDataError> {
        match self {
            Self::Sitemap => sitemap(store, base),
            Self::QuadsDump => gzipped_dump(store, RdfFormat::NQuads),
            Self::TurtleDump => gzipped_dump(store, RdfFormat::Turtle),
        }
    }
}

/// The dataset's documents for one state of the store, each computed when it is first asked
/// for (callers asking at the same time wait for that one computation) and kept until a write
/// replaces the snapshot that owns the cache. Take the cache from the snapshot *before* reading
/// the store: the store commits before the snapshot is swapped, so what is computed is never
/// older than the cache's snapshot. IRIs are as the server's `base` publishes them; a server has
/// one base, so the cache does not key on it.
#[derive(Default)]
pub struct DatasetCache {
    void: OnceCell<Document>,
    files: [OnceCell<Rendered>; DatasetFile::COUNT],
}

impl DatasetCache {
    /// The VoID and DCAT description of the dataset.
    pub fn void(&self, store: &StoreView, base: &PublicBase) -> Result<Document, LinkedDataError> {
        self.described(store, base).cloned()
    }

    fn described(&self, store: &StoreView, base: &PublicBase) -> Result<&Document, LinkedDataError> {
        self.void.get_or_try_init(|| void(store, base))
    }

    /// The description of one published named graph (`graph/factsheet`), or `None`.
    pub fn graph(&self, store: &StoreView, base: &PublicBase, iri: &str) -> Result<Option<Document>, LinkedDataError> {
        Ok(graph(self.described(store, base)?, iri))
    }

    /// `file` if it was computed already; never waits.
    pub fn computed(&self, file: DatasetFile) -> Option<Rendered> {
        self.files[file as usize].get().cloned()
    }

    /// `file`, computed now unless it was before.
    pub fn file(&self, file: DatasetFile, store: &StoreView, base: &PublicBase) -> Result<Rendered, LinkedDataError> {
        self.files[file as usize].get_or_try_init(|| file.compute(store, base).map(Rendered::new)).cloned()
    }
}
