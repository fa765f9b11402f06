//! The live knowledge base: the store, and the snapshot of what is built from one state of it
//! (search index and engine with its answer cache, reconciler, the dataset's documents). Writes
//! go through here, one at a time: the store commits, a new index generation is built from the
//! committed state, and the snapshot is swapped before the write returns. Readers hold the
//! snapshot they started with, so they see the old answers or the new ones, never a mix and
//! never an index newer than the store.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use oxigraph::model::NamedNode;

use crate::dataset::DatasetCache;
use crate::graph_data;
use crate::index::{IndexError, SearchIndex};
use crate::reconcile::{ReconcileError, Reconciler};
use crate::search::{SearchEngine, SearchError};
use crate::shacl::{ShaclError, Shapes};
use crate::store::{KnowledgeStore, StoreError};
use crate::write::{Provenance, WriteError, Writes};

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Reconcile(#[from] ReconcileError),
    #[error(transparent)]
    Shacl(#[from] ShaclError),
    #[error("an earlier write failed halfway; restart the server")]
    Poisoned,
    #[error("building the reconciler failed unexpectedly")]
    ReconcilerPanicked,
}

/// What [`KnowledgeBase::sync_demo`] changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoSync {
    /// The demo social map was loaded, with this many offers.
    Loaded(usize),
    /// The demo social map was removed.
    Removed,
    /// The store already was as asked.
    Unchanged,
}

/// What is built from one state of the store.
pub struct Snapshot {
    pub search: Arc<SearchEngine>,
    pub reconciler: Arc<Reconciler>,
    /// The dataset's heavy documents, filled as they are asked for; a write starts a new one.
    pub dataset: DatasetCache,
}

pub struct KnowledgeBase {
    store: KnowledgeStore,
    data_dir: PathBuf,
    writes: Writes,
    snapshot: ArcSwap<Snapshot>,
    writing: Mutex<()>,
}

impl KnowledgeBase {
    /// Opens the snapshot of the store's current state, building the index when it is missing
    /// or stale. Returns the knowledge base and whether the index was built.
    pub fn open(
        data_dir: &Path,
        store: KnowledgeStore,
        shapes: Shapes,
        progress: &dyn Fn(usize, usize),
    ) -> Result<(Self, bool), LiveError> {
        let mut built = false;
        let snapshot = build_snapshot(&store, || {
            let (index, was_built) = SearchIndex::open(data_dir, &store, progress)?;
            built = was_built;
            Ok(index)
        })?;
        let writes = Writes::new(store.clone(), shapes);
        let base = Self {
            store,
            data_dir: data_dir.to_owned(),
            writes,
            snapshot: ArcSwap::from_pointee(snapshot),
            writing: Mutex::new(()),
        };
        Ok((base, built))
    }

    pub fn store(&self) -> &KnowledgeStore {
        &self.store
    }

    /// The snapshot readers should use for one request.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.load_full()
    }

    /// Runs one write and, when it committed, brings the snapshot in step before returning.
    /// Writes run one at a time.
    pub fn write<T>(&self, operation: impl FnOnce(&Writes) -> Result<T, WriteError>) -> Result<T, LiveError> {
        let _one_writer = self.writing.lock().map_err(|_| LiveError::Poisoned)?;
        let outcome = operation(&self.writes)?;
        let snapshot = build_snapshot(&self.store, || SearchIndex::rebuild(&self.data_dir, &self.store, &|_, _| {}))?;
        drop(self.snapshot.swap(Arc::new(snapshot)));
        crate::memory::release_freed();
        Ok(outcome)
    }

    /// Loads the fictional demo social map into [`graph_data::DEMO_GRAPH`] when `demo` and it is
    /// missing, marked fictional; removes it when not `demo` and it is there (`serve --demo`).
    pub fn sync_demo(&self, demo: bool) -> Result<DemoSync, LiveError> {
        let graph = NamedNode::new_unchecked(graph_data::DEMO_GRAPH);
        let present =
            self.store.oxigraph().contains_named_graph(&graph).map_err(|error| WriteError::from(StoreError::from(error)))?;
        if demo && !present {
            let provenance = Provenance {
                agent: "kansrijk".to_owned(),
                action: "demo".to_owned(),
                file: Some(graph_data::DEMO_FILE.to_owned()),
            };
            let services = self.write(|writes| {
                let mapped = writes.parse_hsds(graph_data::DEMO_FILE, graph_data::DEMO_HSDS, &graph)?;
                writes.replace_graph(&graph.clone().into(), graph_data::marked_fictional(mapped.quads), &provenance)?;
                Ok(mapped.services)
            })?;
            Ok(DemoSync::Loaded(services))
        } else if !demo && present {
            self.write(|writes| writes.delete_graph(&graph.clone().into()))?;
            Ok(DemoSync::Removed)
        } else {
            Ok(DemoSync::Unchanged)
        }
    }
}

/// Builds the snapshot of the store's current state. Both parts read the whole store, so the
/// reconciler's entities are read on a second thread while `open_index` opens or builds the
/// index; the reconciler then shares the search engine's place gazetteer.
fn build_snapshot(
    store: &KnowledgeStore,
    open_index: impl FnOnce() -> Result<SearchIndex, IndexError>,
) -> Result<Snapshot, LiveError> {
    std::thread::scope(|scope| {
        let reconciler = scope.spawn(|| Reconciler::read(store));
        let search = open_index().map_err(LiveError::from).and_then(|index| Ok(SearchEngine::new(index, store)?));
        let reconciler = reconciler.join().map_err(|_| LiveError::ReconcilerPanicked)??;
        let search = search?;
        let reconciler = reconciler.with_places(Arc::clone(&search.gazetteer.places));
        Ok(Snapshot { search: Arc::new(search), reconciler: Arc::new(reconciler), dataset: DatasetCache::default() })
    })
}

impl From<crate::tokens::Refusal> for LiveError {
    fn from(refusal: crate::tokens::Refusal) -> Self {
        Self::Write(WriteError::Refused(refusal))
    }
}
