//! How far the write in hand is: its phase, and how many of the phase's items (triples, or
//! resources when indexing) are done out of how many. The thread that writes advances it; any
//! other thread may look at it ([`Progress::now`]), e.g. to draw a progress bar. Writes run one
//! at a time, so a store keeps one.
//!
//! ```
//! use kansrijk::store::{Phase, Progress};
//!
//! let progress = Progress::default();
//! progress.start(Phase::Validating, 1_000);
//! progress.advance(250);
//! let now = progress.now();
//! assert_eq!((now.phase, now.done, now.total), (Some(Phase::Validating), 250, 1_000));
//! progress.finish();
//! assert_eq!(progress.now().phase, None);
//! ```

use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

/// A phase of a write, in the order a large write goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Parsing the body and mapping it onto RDF.
    Reading,
    /// SHACL validation against the shapes and the store.
    Validating,
    /// Comparing the new content of a graph with what it holds.
    Comparing,
    /// Writing what a large write adds to its staging file.
    Staging,
    /// The bulk load of the staging file into the store.
    Loading,
    /// Catching the search index and reconciler up (counted in resources).
    Indexing,
}

const PHASES: [Phase; 6] = [Phase::Reading, Phase::Validating, Phase::Comparing, Phase::Staging, Phase::Loading, Phase::Indexing];
const IDLE: u8 = u8::MAX;

impl Phase {
    /// How the phase is named in a progress line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Reading => "reading",
            Self::Validating => "validating",
            Self::Comparing => "comparing",
            Self::Staging => "staging",
            Self::Loading => "bulk loading",
            Self::Indexing => "indexing",
        }
    }

    /// What the phase counts.
    pub fn unit(self) -> &'static str {
        if self == Self::Indexing { "resources" } else { "triples" }
    }
}

/// The progress of the write in hand (see the module documentation).
#[derive(Debug)]
pub struct Progress {
    phase: AtomicU8,
    done: AtomicU64,
    total: AtomicU64,
}

impl Default for Progress {
    fn default() -> Self {
        Self { phase: AtomicU8::new(IDLE), done: AtomicU64::new(0), total: AtomicU64::new(0) }
    }
}

/// What [`Progress::now`] saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// `None` when no write is in hand.
    pub phase: Option<Phase>,
    pub done: u64,
    /// 0 when the phase does not know its total.
    pub total: u64,
}

impl Progress {
    /// Starts `phase`, of `total` items (0 when unknown).
    pub fn start(&self, phase: Phase, total: u64) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        let index = PHASES.iter().position(|known| *known == phase).unwrap_or_default();
        self.phase.store(index as u8, Ordering::Release);
    }

    /// Counts `items` more done.
    pub fn advance(&self, items: u64) {
        self.done.fetch_add(items, Ordering::Relaxed);
    }

    /// Sets how many items are done and of how many.
    pub fn set(&self, done: u64, total: u64) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(done, Ordering::Relaxed);
    }

    /// Marks the write done.
    pub fn finish(&self) {
        self.phase.store(IDLE, Ordering::Release);
    }

    pub fn now(&self) -> Seen {
        let phase = PHASES.get(usize::from(self.phase.load(Ordering::Acquire))).copied();
        Seen { phase, done: self.done.load(Ordering::Relaxed), total: self.total.load(Ordering::Relaxed) }
    }
}
