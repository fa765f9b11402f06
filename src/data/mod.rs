//! The base data kansrijk ships: `graph-data/<graph>/*.ttl` and the ontology, embedded in
//! the binary at build time, grouped into one named graph per source and hashed so that the
//! store reloads a graph only when its files changed.

pub mod shacl;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::Path;

use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad};
use sha2::{Digest, Sha256};

use crate::rdf::files::{self, RdfFileError};
use crate::rdf::vocab;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The named graph the ontology is loaded into.
pub const ONTOLOGY_GRAPH: &str = "ontologie";
/// The SHACL shapes, embedded for `kansrijk check` (not loaded into the store).
pub const SHAPES_FILE: &str = "ontology/shapes.ttl";

/// One RDF file of the base data.
#[derive(Debug, Clone)]
pub struct DataFile {
    /// Path as shown to users, relative to the repository for embedded files.
    pub path: String,
    pub contents: Cow<'static, [u8]>,
}

/// The files that make up one named graph.
#[derive(Debug, Clone)]
pub struct BaseGraph {
    /// Short name, the last segment of the graph IRI (`factsheet`, `cbs-regio`, ...).
    pub name: String,
    pub files: Vec<DataFile>,
}

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error(transparent)]
    Rdf(#[from] RdfFileError),
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: no RDF files found (expected .ttl, .trig, .nt, .nq, .rdf or .jsonld)")]
    Empty { path: String },
}

impl BaseGraph {
    pub fn iri(&self) -> NamedNode {
        vocab::graph_iri(&self.name)
    }

    /// SHA-256 over the names and contents of the graph's files, in order.
    pub fn content_hash(&self) -> String {
        let mut hasher = Sha256::new();
        for file in &self.files {
            hasher.update(file.path.as_bytes());
            hasher.update([0]);
            hasher.update((file.contents.len() as u64).to_le_bytes());
            hasher.update(&file.contents);
        }
        hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect()
    }

    /// All quads of the graph, placed in the graph's own IRI.
    pub fn quads(&self) -> Result<Vec<Quad>, DataError> {
        let graph = GraphName::from(self.iri());
        let mut quads = Vec::new();
        for file in &self.files {
            let format = files::format_of(Path::new(&file.path))?;
            quads.extend(files::read_quads(&file.path, file.contents.as_ref(), format, &graph)?);
        }
        Ok(quads)
    }
}

/// The graph a base-data file belongs to: `graph-data/<graph>/...` or the ontology.
fn graph_name_of(path: &str) -> Option<&str> {
    if let Some(rest) = path.strip_prefix("graph-data/") {
        return rest.split_once('/').map(|(graph, _)| graph);
    }
    (path == "ontology/kansrijk.ttl").then_some(ONTOLOGY_GRAPH)
}

fn group(files: impl IntoIterator<Item = DataFile>) -> Vec<BaseGraph> {
    let mut graphs: BTreeMap<String, Vec<DataFile>> = BTreeMap::new();
    for file in files {
        if let Some(name) = graph_name_of(&file.path) {
            graphs.entry(name.to_owned()).or_default().push(file);
        }
    }
    graphs.into_iter().map(|(name, files)| BaseGraph { name, files }).collect()
}

/// The base graphs embedded in this binary.
pub fn embedded_graphs() -> Vec<BaseGraph> {
    group(
        embedded::EMBEDDED_FILES
            .iter()
            .map(|(path, contents)| DataFile { path: (*path).to_owned(), contents: Cow::Borrowed(*contents) }),
    )
}

/// The SHACL shapes embedded in this binary.
pub fn embedded_shapes() -> &'static [u8] {
    embedded::EMBEDDED_FILES.iter().find(|(path, _)| *path == SHAPES_FILE).map_or(&[], |(_, contents)| *contents)
}

/// The named graph of the fictional demo social map, loaded only by `serve --demo`.
pub const DEMO_GRAPH: &str = "https://w3id.org/kansrijk/graph/demo-sociale-kaart";
/// File name of the demo social map (Open Referral HSDS 3.0 JSON, every record fictional).
pub const DEMO_FILE: &str = "sociale-kaart-demo.hsds.json";
/// The demo social map, embedded so that `serve --demo` works from any directory.
pub const DEMO_HSDS: &[u8] = include_bytes!("../../graph-data/demo/sociale-kaart-demo.hsds.json");

/// `quads` with every resource they describe marked `kr:fictional true`, in the same graph: how
/// the demo map says, in machine-readable form, that none of it is real.
pub fn marked_fictional(mut quads: Vec<Quad>) -> Vec<Quad> {
    let subjects: HashSet<(NamedNode, GraphName)> = quads
        .iter()
        .filter_map(|quad| match &quad.subject {
            NamedOrBlankNode::NamedNode(subject) => Some((subject.clone(), quad.graph_name.clone())),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .collect();
    let fictional = Literal::from(true);
    quads.extend(subjects.into_iter().map(|(subject, graph)| Quad::new(subject, vocab::FICTIONAL, fictional.clone(), graph)));
    quads
}

/// Whether no write token may change `iri`: the base graphs and the demo graph.
pub fn is_read_only_graph(iri: &str) -> bool {
    is_base_graph(iri) || iri == DEMO_GRAPH
}

/// Whether `iri` names a graph that kansrijk fills from its own base data.
pub fn is_base_graph(iri: &str) -> bool {
    embedded_graphs().iter().any(|graph| graph.iri().as_str() == iri) || iri == vocab::META_GRAPH.as_str()
}

/// Reads RDF files from disk (files, or folders searched recursively) as one graph each,
/// named after the file; used to check data that is not embedded.
pub fn read_paths(paths: &[impl AsRef<Path>]) -> Result<Vec<BaseGraph>, DataError> {
    let mut graphs = Vec::new();
    for path in paths {
        let path = path.as_ref();
        let files = collect_files(path)?;
        if files.is_empty() {
            return Err(DataError::Empty { path: path.display().to_string() });
        }
        for file in files {
            let name =
                Path::new(&file.path).file_stem().map_or_else(|| file.path.clone(), |stem| stem.to_string_lossy().into_owned());
            graphs.push(BaseGraph { name, files: vec![file] });
        }
    }
    Ok(graphs)
}

fn collect_files(path: &Path) -> Result<Vec<DataFile>, DataError> {
    let io_error = |source| DataError::Io { path: path.display().to_string(), source };
    if !path.is_dir() {
        let contents = fs::read(path).map_err(io_error)?;
        return Ok(vec![DataFile { path: path.display().to_string(), contents: Cow::Owned(contents) }]);
    }
    let mut entries: Vec<_> = fs::read_dir(path).map_err(io_error)?.collect::<Result<_, _>>().map_err(io_error)?;
    entries.sort_by_key(|entry| entry.path());
    let mut files = Vec::new();
    for entry in entries {
        let child = entry.path();
        if child.is_dir() || files::format_of(&child).is_ok() {
            files.extend(collect_files(&child)?);
        }
    }
    Ok(files)
}
