//! Heavy work off the async executor. SPARQL evaluation, reconciliation batches, pages and
//! documents that scan the store, and writes run on blocking threads (with the stack that
//! [`crate::sparql::bounds::EVALUATION_STACK_BYTES`] asks for), at most a few of each kind at a
//! time, so that cheap requests keep their latency whatever the heavy ones do. A request that
//! waits too long for its turn is answered 503 with `Retry-After`.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use super::ApiError;

/// The kinds of heavy work, each with its own limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// SPARQL queries.
    Query,
    /// Searches (`/api/search`, `/zoeken`).
    Search,
    /// Reconciliation batches, data extension and suggest.
    Reconcile,
    /// Documents and pages built from the store: resource documents, VoID, graphs, dumps.
    Read,
    /// Writes and SPARQL updates (the knowledge base runs them one at a time anyway).
    Write,
}

/// The per-kind limits.
pub struct Workers {
    query: Arc<Semaphore>,
    search: Arc<Semaphore>,
    reconcile: Arc<Semaphore>,
    read: Arc<Semaphore>,
    write: Arc<Semaphore>,
    queue_wait: Duration,
}

impl Workers {
    /// `parallelism` jobs of each kind at a time (writes: two, one running and one validating
    /// while it waits); a job waits at most `queue_wait` for its turn.
    pub fn new(parallelism: usize, queue_wait: Duration) -> Self {
        let permits = |count: usize| Arc::new(Semaphore::new(count.max(1)));
        Self {
            query: permits(parallelism),
            search: permits(parallelism * 2),
            reconcile: permits(parallelism),
            read: permits(parallelism * 2),
            write: permits(2),
            queue_wait,
        }
    }

    /// As many of each kind as the machine has cores (at least two).
    pub fn for_this_machine(queue_wait: Duration) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self::new(cores.max(2), queue_wait)
    }

    fn limit(&self, kind: Work) -> &Arc<Semaphore> {
        match kind {
            Work::Query => &self.query,
            Work::Search => &self.search,
            Work::Reconcile => &self.reconcile,
            Work::Read => &self.read,
            Work::Write => &self.write,
        }
    }

    /// Runs `job` on a blocking thread once a slot of its kind is free. The slot is held until
    /// the job ends, also when the client has gone (a job stops itself through its
    /// cancellation token).
    pub async fn run<T: Send + 'static>(&self, kind: Work, job: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
        let permit = match tokio::time::timeout(self.queue_wait, Arc::clone(self.limit(kind)).acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(closed)) => return Err(ApiError::internal(closed)),
            Err(_waited) => return Err(ApiError::Busy(self.queue_wait)),
        };
        tokio::task::spawn_blocking(move || {
            let _slot = permit;
            job()
        })
        .await
        .map_err(ApiError::internal)
    }
}

/// Cancels a token when dropped: a handler holds one so that its job stops when the client
/// leaves and the handler's future is dropped.
pub struct CancelOnDrop(pub oxigraph::sparql::CancellationToken);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}
