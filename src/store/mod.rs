//! The persistent store: an Oxigraph (RocksDB) database under `<data>/store`, with one
//! named graph per source. It keeps the base graphs in step with the embedded data and loads
//! user files atomically: a load either commits every quad or leaves the store untouched.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNodeRef, Quad, QuadRef, Term};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, SparqlEvaluator, UpdateEvaluationError};
use oxigraph::store::{StorageError, Store};

use crate::data::{self, BaseGraph, DataError};
use crate::rdf::files::{self, RdfFileError};
use crate::rdf::vocab;

mod progress;
mod staging;
mod view;

pub use progress::{Phase, Progress, Seen};
pub use staging::{Replaced, STAGED_FROM};
pub use view::{GraphVersions, StoreView};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store in {path} is in use by another kansrijk process (stop `kansrijk serve` first)")]
    Locked { path: String },
    #[error("cannot open the store in {path}: {source}")]
    Open { path: String, source: StorageError },
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Rdf(#[from] RdfFileError),
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(
        "{file}: graph <{graph}> holds kansrijk's own base data and is replaced whenever graph-data/ changes; load into another graph"
    )]
    BaseGraph { file: String, graph: String },
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: std::io::Error },
    #[error("internal query failed: {0}")]
    Query(String),
    #[error("de SPARQL-update kon niet worden uitgevoerd: {0}")]
    Update(#[source] UpdateEvaluationError),
    #[error("the SPARQL update was stopped before it committed")]
    UpdateCancelled,
    #[error("the staged write {file} cannot be finished: {message}")]
    Staging { file: String, message: String },
}

/// Decides, once, whether a write commits or is cancelled: a canceller that comes first stops
/// the write (and its evaluation, through the token) before it commits; a write that has begun
/// to commit finishes and the canceller learns that it came too late. So an update stopped at
/// its deadline or because its client left never commits afterwards.
#[derive(Default)]
pub struct CommitGate {
    token: CancellationToken,
    state: AtomicU8,
}

const GATE_OPEN: u8 = 0;
const GATE_COMMITTING: u8 = 1;
const GATE_CANCELLED: u8 = 2;

impl CommitGate {
    /// The token the write's evaluation checks.
    pub fn token(&self) -> CancellationToken {
        self.token.clone()
    }

    /// Cancels the write unless it has begun to commit; returns whether it was cancelled.
    pub fn cancel(&self) -> bool {
        let cancelled = match self.state.compare_exchange(GATE_OPEN, GATE_CANCELLED, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => true,
            Err(state) => state == GATE_CANCELLED,
        };
        if cancelled {
            self.token.cancel();
        }
        cancelled
    }

    /// Claims the right to commit; false when the write was cancelled first.
    fn begin_commit(&self) -> bool {
        self.state.compare_exchange(GATE_OPEN, GATE_COMMITTING, Ordering::AcqRel, Ordering::Acquire).is_ok()
    }
}

/// Whether an update failed because its cancellation token was cancelled.
fn is_cancellation(error: &UpdateEvaluationError) -> bool {
    match error {
        UpdateEvaluationError::Unexpected(inner) => {
            matches!(inner.downcast_ref::<QueryEvaluationError>(), Some(QueryEvaluationError::Cancelled))
        }
        _ => false,
    }
}

/// One solution of [`KnowledgeStore::select`]: the value of each variable (IRI or literal
/// lexical form) in the order of the query's projection, `None` when unbound.
pub type Row = Vec<Option<String>>;

/// What [`KnowledgeStore::sync_base_data`] did.
#[derive(Debug, Default)]
pub struct SyncReport {
    pub reloaded: Vec<String>,
    pub unchanged: Vec<String>,
    pub removed: Vec<String>,
}

/// A file to load, with an optional format override.
#[derive(Debug, Clone)]
pub struct LoadSource {
    pub path: PathBuf,
    pub format: Option<RdfFormat>,
}

#[derive(Clone)]
pub struct KnowledgeStore {
    store: Store,
    /// Where large writes stage what they add (see [`staging`]).
    staging: PathBuf,
    /// How far the write in hand is.
    progress: Arc<Progress>,
}

impl KnowledgeStore {
    /// Opens (or creates) the store in `<data_dir>/store`, and finishes the large writes a
    /// stopped process left (see [`KnowledgeStore::replace_graph`]).
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let path = data_dir.join("store");
        let store = Store::open(&path).map_err(|source| {
            let path = path.display().to_string();
            if source.to_string().contains("LOCK") { StoreError::Locked { path } } else { StoreError::Open { path, source } }
        })?;
        let opened = Self { store, staging: data_dir.join(staging::STAGING_DIR), progress: Arc::default() };
        opened.finish_staged_writes()?;
        Ok(opened)
    }

    /// How far the write in hand is, for any thread to look at; writers advance it.
    pub fn progress(&self) -> &Arc<Progress> {
        &self.progress
    }

    /// The store as it is now, pinned for reading while writes go on.
    pub fn view(&self) -> Result<StoreView, StoreError> {
        StoreView::pin(self.store.clone())
    }

    /// Writes what the write-ahead log holds into the store's files, so that the next open
    /// need not replay it.
    pub fn flush(&self) -> Result<(), StoreError> {
        Ok(self.store.flush()?)
    }

    /// [`StoreView::select`] on the store as it is now.
    pub fn select(&self, query: &str) -> Result<Vec<Row>, StoreError> {
        self.view()?.select(query)
    }

    /// Number of quads in all graphs.
    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.store.len()?)
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.store.is_empty()?)
    }

    fn stored_hash(&self, graph: &NamedNode) -> Result<Option<String>, StoreError> {
        let mut hashes = self.store.quads_for_pattern(
            Some(graph.as_ref().into()),
            Some(vocab::CONTENT_HASH),
            None,
            Some(vocab::META_GRAPH.into()),
        );
        Ok(match hashes.next().transpose()? {
            Some(quad) => match quad.object {
                oxigraph::model::Term::Literal(literal) => Some(literal.value().to_owned()),
                _ => None,
            },
            None => None,
        })
    }

    /// Graphs that the meta graph says were loaded from base data.
    fn recorded_base_graphs(&self) -> Result<Vec<NamedNode>, StoreError> {
        self.store
            .quads_for_pattern(None, Some(vocab::CONTENT_HASH), None, Some(vocab::META_GRAPH.into()))
            .filter_map(|quad| match quad {
                Ok(Quad { subject: oxigraph::model::NamedOrBlankNode::NamedNode(node), .. }) => Some(Ok(node)),
                Ok(_) => None,
                Err(error) => Some(Err(StoreError::from(error))),
            })
            .collect()
    }

    /// Brings the base graphs in line with `graphs`: every graph whose content hash differs
    /// from the recorded one is replaced, in one transaction.
    pub fn sync_base_data(&self, graphs: &[BaseGraph]) -> Result<SyncReport, StoreError> {
        let mut report = SyncReport::default();
        let mut replacements = Vec::new();
        for graph in graphs {
            let iri = graph.iri();
            let hash = graph.content_hash();
            if self.stored_hash(&iri)?.as_deref() == Some(hash.as_str()) {
                report.unchanged.push(graph.name.clone());
            } else {
                replacements.push((iri, hash, graph.quads()?));
                report.reloaded.push(graph.name.clone());
            }
        }
        let obsolete: Vec<NamedNode> = self
            .recorded_base_graphs()?
            .into_iter()
            .filter(|recorded| graphs.iter().all(|graph| graph.iri() != *recorded))
            .collect();
        if replacements.is_empty() && obsolete.is_empty() {
            return Ok(report);
        }
        let mut transaction = self.store.start_transaction()?;
        for iri in &obsolete {
            transaction.clear_graph(iri)?;
            transaction.remove_named_graph(iri)?;
            forget_hash(&mut transaction, iri)?;
            report.removed.push(iri.as_str().to_owned());
        }
        for (iri, hash, quads) in &replacements {
            transaction.clear_graph(iri)?;
            forget_hash(&mut transaction, iri)?;
            transaction.extend(quads);
            transaction.insert(QuadRef::new(iri, vocab::CONTENT_HASH, &Literal::new_simple_literal(hash), vocab::META_GRAPH));
        }
        transaction.commit()?;
        Ok(report)
    }

    /// Loads RDF files in one atomic step. Triples go to `graph` (or the default graph);
    /// quads keep their graph. `on_progress` receives the number of bytes read so far. Each
    /// graph loaded into gets `provenance(graph)` as its provenance. Returns the number of
    /// quads read.
    pub fn load(
        &self,
        sources: &[LoadSource],
        graph: Option<&NamedNode>,
        on_progress: impl Fn(u64),
        provenance: impl Fn(&GraphName) -> Vec<Quad>,
    ) -> Result<u64, StoreError> {
        let target = graph.map_or(GraphName::DefaultGraph, |graph| GraphName::NamedNode(graph.clone()));
        if let Some(graph) = graph {
            refuse_base_graph("--graph", graph.as_str())?;
        }
        let mut loader = self.store.bulk_loader();
        let mut bytes_before = 0;
        let mut quads_read = 0;
        let mut loaded_into: HashSet<GraphName> = HashSet::new();
        for source in sources {
            let file = source.path.display().to_string();
            let format = match source.format {
                Some(format) => format,
                None => files::format_of(&source.path)?,
            };
            let handle = File::open(&source.path).map_err(|error| RdfFileError::Io { file: file.clone(), source: error })?;
            let reader = CountingReader { inner: BufReader::new(handle), read: 0, bytes_before, on_progress: &on_progress };
            let quads = files::parser(format, &target).for_reader(reader).map(|quad| {
                let quad = quad.map_err(|error| StoreError::from(files::located(&file, error)))?;
                if let GraphName::NamedNode(named) = &quad.graph_name {
                    refuse_base_graph(&file, named.as_str())?;
                }
                if !loaded_into.contains(&quad.graph_name) {
                    loaded_into.insert(quad.graph_name.clone());
                }
                quads_read += 1;
                Ok::<_, StoreError>(quad)
            });
            loader.load_ok_quads::<StoreError, StoreError>(quads)?;
            bytes_before += std::fs::metadata(&source.path).map(|m| m.len()).unwrap_or(0);
        }
        loader.commit()?;
        let mut transaction = self.store.start_transaction()?;
        for graph in &loaded_into {
            replace_provenance(&mut transaction, graph, &provenance(graph))?;
        }
        transaction.commit()?;
        Ok(quads_read)
    }

    /// Removes `graph` and its provenance. Returns whether it existed.
    pub fn remove_graph(&self, graph: &GraphName) -> Result<bool, StoreError> {
        let existed = match graph {
            GraphName::NamedNode(named) => self.store.contains_named_graph(named)?,
            _ => self.store.quads_for_pattern(None, None, None, Some(graph.as_ref())).next().transpose()?.is_some(),
        };
        let mut transaction = self.store.start_transaction()?;
        transaction.clear_graph(graph.as_ref())?;
        if let GraphName::NamedNode(named) = graph {
            transaction.remove_named_graph(named)?;
        }
        replace_provenance(&mut transaction, graph, &[])?;
        transaction.commit()?;
        Ok(existed)
    }

    /// Runs a SPARQL update in a transaction, hands the resulting content of `graphs` to
    /// `check`, and commits only when `check` accepts it; the provenance of each graph is
    /// replaced by `provenance(graph)`.
    /// The update stops, uncommitted, when `gate` is cancelled before it commits.
    pub fn update_checked<E: From<StoreError>>(
        &self,
        update: spargebra::Update,
        graphs: &[GraphName],
        gate: &CommitGate,
        check: impl FnOnce(&[(GraphName, Vec<Quad>)]) -> Result<(), E>,
        provenance: impl Fn(&GraphName) -> Vec<Quad>,
    ) -> Result<(), E> {
        let mut transaction = self.store.start_transaction().map_err(StoreError::from)?;
        SparqlEvaluator::new()
            .with_cancellation_token(gate.token())
            .for_update(update)
            .on_transaction(&mut transaction)
            .execute()
            .map_err(|error| match error {
                UpdateEvaluationError::Storage(error) => StoreError::Storage(error),
                error if is_cancellation(&error) => StoreError::UpdateCancelled,
                error => StoreError::Update(error),
            })?;
        let mut contents = Vec::new();
        for graph in graphs {
            let quads: Vec<Quad> = transaction
                .quads_for_pattern(None, None, None, Some(graph.as_ref()))
                .collect::<Result<_, _>>()
                .map_err(StoreError::from)?;
            contents.push((graph.clone(), quads));
        }
        check(&contents)?;
        for graph in graphs {
            replace_provenance(&mut transaction, graph, &provenance(graph))?;
        }
        if !gate.begin_commit() {
            return Err(StoreError::UpdateCancelled.into());
        }
        transaction.commit().map_err(StoreError::from)?;
        Ok(())
    }
}

fn refuse_base_graph(file: &str, graph: &str) -> Result<(), StoreError> {
    if data::is_base_graph(graph) {
        return Err(StoreError::BaseGraph { file: file.to_owned(), graph: graph.to_owned() });
    }
    Ok(())
}

fn forget_hash(transaction: &mut oxigraph::store::Transaction<'_>, graph: &NamedNode) -> Result<(), StoreError> {
    let old: Vec<Quad> = transaction
        .quads_for_pattern(
            Some(NamedOrBlankNodeRef::from(graph.as_ref())),
            Some(vocab::CONTENT_HASH),
            None,
            Some(GraphNameRef::from(vocab::META_GRAPH)),
        )
        .collect::<Result<_, _>>()?;
    for quad in &old {
        transaction.remove(quad);
    }
    Ok(())
}

/// Replaces the provenance of `graph` in the meta graph: its `prov:wasGeneratedBy` activities
/// and their descriptions go, `provenance` comes in.
pub(super) fn replace_provenance(
    transaction: &mut oxigraph::store::Transaction<'_>,
    graph: &GraphName,
    provenance: &[Quad],
) -> Result<(), StoreError> {
    let subject: NamedOrBlankNodeRef<'_> = match graph {
        GraphName::NamedNode(named) => named.into(),
        _ => vocab::DEFAULT_GRAPH_NODE.into(),
    };
    let meta = GraphNameRef::from(vocab::META_GRAPH);
    let links: Vec<Quad> = transaction
        .quads_for_pattern(Some(subject), Some(vocab::WAS_GENERATED_BY), None, Some(meta))
        .collect::<Result<_, _>>()?;
    for link in &links {
        let activity = match &link.object {
            Term::NamedNode(node) => NamedOrBlankNodeRef::from(node),
            Term::BlankNode(node) => NamedOrBlankNodeRef::from(node),
            _ => continue,
        };
        let described: Vec<Quad> =
            transaction.quads_for_pattern(Some(activity), None, None, Some(meta)).collect::<Result<_, _>>()?;
        for quad in &described {
            if let Term::BlankNode(entity) = &quad.object {
                let entity: Vec<Quad> =
                    transaction.quads_for_pattern(Some(entity.into()), None, None, Some(meta)).collect::<Result<_, _>>()?;
                for quad in &entity {
                    transaction.remove(quad);
                }
            }
            transaction.remove(quad);
        }
        transaction.remove(link);
    }
    transaction.extend(provenance);
    Ok(())
}

/// Reports the bytes read from a file to a progress callback.
struct CountingReader<'a, R, F> {
    inner: R,
    read: u64,
    bytes_before: u64,
    on_progress: &'a F,
}

impl<R: Read, F: Fn(u64)> Read for CountingReader<'_, R, F> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let count = self.inner.read(buffer)?;
        self.read += count as u64;
        (self.on_progress)(self.bytes_before + self.read);
        Ok(count)
    }
}
