//! The live knowledge base: the store, and the snapshot of one state of it: a [`StoreView`]
//! pinned at that state and what is built from it (search index and engine with its answer
//! cache, reconciler, the dataset's documents). Writes go through here, one at a time: the store
//! commits, a view of the committed state is pinned, the index catches up on what the write
//! changed (or a new generation is built where only a full build will do), a reconciler is
//! built from that view, and the snapshot is swapped before the write returns.
//!
//! The consistency rule: a request takes one [`Snapshot`] and reads only from it: the store
//! through [`Snapshot::store`], search and reconciliation through its engine and reconciler. So
//! it sees the old state or the new one, never a mix, and never an index that differs from the
//! store it joins with (`SERVICE kr:search`). Readers never wait for a write, nor a write for them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use arc_swap::ArcSwap;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};

use crate::data;
use crate::data::shacl::{ShaclError, Shapes};
use crate::publish::dataset::DatasetCache;
use crate::reconcile::{ReconcileError, Reconciler, ReconcilerEntities};
use crate::search::index::{CatchUp, IndexError, SearchIndex};
use crate::search::{SearchEngine, SearchError, UnderstandingChange};
use crate::store::{GraphVersions, KnowledgeStore, Phase, Progress, StoreError, StoreView};
use crate::write::{Provenance, WriteError, WriteReport, Writes};

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
    #[error(transparent)]
    Store(#[from] StoreError),
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
    /// The store as it was when everything else here was built from it.
    pub store: StoreView,
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
        let snapshot = build_snapshot(
            store.view()?,
            |view| {
                let (index, was_built) = SearchIndex::open(data_dir, view, progress)?;
                built = was_built;
                Ok(SearchEngine::new(index, view)?)
            },
            Reconciler::read,
        )?;
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
    /// Writes run one at a time. Each phase is logged at `info`: `write: started` once this
    /// write has the turn, `write: store committed` (by [`Writes`]), `write: index committed`
    /// once the index on disk reflects the store (caught up on what the write changed, or a
    /// new generation where only a full build will do), `write: snapshot swapped`.
    /// The write runs on a thread of its own at background CPU priority, with every thread it
    /// starts, so that readers beside a large import keep their latency.
    pub fn write<T: WriteOutcome + Send>(
        &self,
        operation: impl FnOnce(&Writes) -> Result<T, WriteError> + Send,
    ) -> Result<T, LiveError> {
        crate::background::run(|| self.write_now(operation))
    }

    fn write_now<T: WriteOutcome>(&self, operation: impl FnOnce(&Writes) -> Result<T, WriteError>) -> Result<T, LiveError> {
        let _one_writer = self.writing.lock().map_err(|_| LiveError::Poisoned)?;
        let _finished = Finished(self.store.progress());
        let started = Instant::now();
        tracing::info!("write: started");
        let mut outcome = operation(&self.writes).inspect_err(|error| tracing::info!(%error, "write: nothing written"))?;
        let committed = Instant::now();
        self.store.progress().start(Phase::Indexing, 0);
        let mut generation = String::new();
        let previous = self.snapshot();
        let snapshot = self
            .store
            .view()
            .map_err(LiveError::from)
            .and_then(|view| {
                let changed = view.graph_versions()?.changed_since(&previous.store.graph_versions()?);
                let changed: Vec<GraphName> = changed.iter().map(|graph| GraphVersions::graph(graph)).collect();
                let understanding = SearchEngine::understanding_after(&previous.store, &view, &changed)?;
                build_snapshot(
                    view,
                    |view| {
                        let index = self.index_after_write(&previous, view, understanding)?;
                        generation = index.generation().to_owned();
                        Ok(previous.search.after_write(index, view, understanding)?)
                    },
                    |view| match touched_subjects(&previous.store, view, &changed)? {
                        Some(touched) => previous.reconciler.updated(view, touched.iter().map(String::as_str)),
                        None => Reconciler::read(view),
                    },
                )
            })
            .inspect_err(|error| {
                tracing::error!(%error, "write: the store committed but its snapshot could not be built; a restart rebuilds the index")
            })?;
        drop(self.snapshot.swap(Arc::new(snapshot)));
        outcome.snapshot_took(u64::try_from(committed.elapsed().as_millis()).unwrap_or(u64::MAX));
        tracing::info!(%generation, elapsed_ms = started.elapsed().as_millis() as u64, "write: snapshot swapped");
        crate::memory::release_freed();
        Ok(outcome)
    }

    /// The index of `view`: the previous snapshot's caught up on what the write changed, or a
    /// new generation where only a full build will do. The documents' areas are those of the
    /// previous snapshot's places unless the write changed what names places.
    fn index_after_write(
        &self,
        previous: &Snapshot,
        view: &StoreView,
        understanding: UnderstandingChange,
    ) -> Result<SearchIndex, IndexError> {
        let places = match understanding {
            UnderstandingChange::Kept => Some(previous.search.places().as_ref()),
            UnderstandingChange::ReadAgain => None,
        };
        let index = match previous.search.index().catch_up(view, places)? {
            CatchUp::Current => previous.search.index().clone(),
            CatchUp::Caught { index, documents } => {
                tracing::info!(generation = index.generation(), documents, "write: index committed");
                *index
            }
            CatchUp::NeedsRebuild(why) => {
                let progress = self.store.progress();
                let index = SearchIndex::rebuild(&self.data_dir, view, &|done, total| progress.set(done as u64, total as u64))?;
                tracing::info!(generation = index.generation(), documents = index.num_docs(), why, "write: index committed");
                index
            }
        };
        Ok(index)
    }

    /// Loads the fictional demo social map into [`data::DEMO_GRAPH`] when `demo` and it is
    /// missing, marked fictional; removes it when not `demo` and it is there (`serve --demo`).
    pub fn sync_demo(&self, demo: bool) -> Result<DemoSync, LiveError> {
        let graph = NamedNode::new_unchecked(data::DEMO_GRAPH);
        let present = self.snapshot().store.contains_named_graph(&graph)?;
        if demo && !present {
            let provenance =
                Provenance { agent: "kansrijk".to_owned(), action: "demo".to_owned(), file: Some(data::DEMO_FILE.to_owned()) };
            let services = self.write(|writes| {
                let mapped = writes.parse_hsds(data::DEMO_FILE, data::DEMO_HSDS, &graph)?;
                writes.replace_graph(&graph.clone().into(), data::marked_fictional(mapped.quads), &provenance)?;
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

/// Marks the write in hand done when dropped, however it ends.
struct Finished<'p>(&'p Progress);

impl Drop for Finished<'_> {
    fn drop(&mut self) {
        self.0.finish();
    }
}

/// What a write gives back; a report of its phases learns how long the snapshot after it took.
pub trait WriteOutcome {
    fn snapshot_took(&mut self, _ms: u64) {}
}

impl WriteOutcome for bool {}

impl WriteOutcome for usize {}

impl WriteOutcome for WriteReport {
    fn snapshot_took(&mut self, ms: u64) {
        self.phases.index_ms = ms;
    }
}

impl<T: WriteOutcome> WriteOutcome for (bool, T) {
    fn snapshot_took(&mut self, ms: u64) {
        self.1.snapshot_took(ms);
    }
}

/// Builds the snapshot of the state `store` pins: `read_reconciler` reads the reconciler's
/// entities on a second thread while `make_engine` opens, catches up or builds the index and
/// the search engine; the reconciler then shares the search engine's place gazetteer.
fn build_snapshot(
    store: StoreView,
    make_engine: impl FnOnce(&StoreView) -> Result<SearchEngine, LiveError>,
    read_reconciler: impl FnOnce(&StoreView) -> Result<ReconcilerEntities, ReconcileError> + Send,
) -> Result<Snapshot, LiveError> {
    let (search, reconciler) = std::thread::scope(|scope| {
        let reconciler = scope.spawn(|| {
            let started = Instant::now();
            let reconciler = read_reconciler(&store);
            tracing::debug!(ms = started.elapsed().as_millis() as u64, "reconciler: read");
            reconciler
        });
        let search = make_engine(&store);
        let reconciler = reconciler.join().map_err(|_| LiveError::ReconcilerPanicked)??;
        Ok::<_, LiveError>((search?, reconciler))
    })?;
    let reconciler = reconciler.with_places(Arc::clone(search.places()));
    Ok(Snapshot { store, search: Arc::new(search), reconciler: Arc::new(reconciler), dataset: DatasetCache::default() })
}

/// The subjects of `changed` graphs in `old` and `new`; `None` when a base graph changed (then
/// everything is read again).
fn touched_subjects(old: &StoreView, new: &StoreView, changed: &[GraphName]) -> Result<Option<BTreeSet<String>>, StoreError> {
    if changed.iter().any(|graph| data::is_read_only_graph(&GraphVersions::key(graph))) {
        return Ok(None);
    }
    let mut subjects = BTreeSet::new();
    for graph in changed {
        for view in [old, new] {
            for quad in view.quads_for_pattern(None, None, None, Some(graph.as_ref())) {
                if let NamedOrBlankNode::NamedNode(subject) = quad?.subject {
                    subjects.insert(subject.into_string());
                }
            }
        }
    }
    Ok(Some(subjects))
}

impl From<crate::write::tokens::Refusal> for LiveError {
    fn from(refusal: crate::write::tokens::Refusal) -> Self {
        Self::Write(WriteError::Refused(refusal))
    }
}
