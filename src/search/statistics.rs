//! BM25 statistics of the documents alive, so that scores do not depend on what writes deleted.
//!
//! A write re-adds the documents it changes and deletes their old versions; a deleted document
//! stays in its segment until a merge drops it, and Tantivy's own statistics (the `Searcher`'s)
//! still count it: in the number of documents, in each term's document frequency and in each
//! field's token total. Scores would then drift with the history of writes, and an index grown
//! by writes would rank unlike one built whole. [`LiveStatistics`] counts only the documents
//! alive: their number, the terms their postings hold (subtracting the deleted documents found by
//! seeking each in the term's postings: few, as merges drop them), and their token counts as
//! their field norms record them. A field norm is exact up to 40 tokens and beyond that a length
//! in steps of a few percent, but it is the same for the same document in any layout, so the
//! totals of an index grown by writes equal those of one built whole (Tantivy's exact totals
//! cannot be corrected by the lossy norms of the deleted documents). A segment never changes,
//! so the total of each of its fields is summed once per index generation ([`SegmentTokens`]) and
//! the norms of its deleted documents subtracted from it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Searcher, Term};

/// Each segment's token total per field, over all its documents, deleted or not: kept by an
/// index generation for the engines of its successive searchers.
#[derive(Default)]
pub(crate) struct SegmentTokens(Mutex<HashMap<(SegmentId, Field), u64>>);

impl SegmentTokens {
    /// Forgets the segments a searcher no longer holds (merged away).
    fn keep_only(&self, segments: &[SegmentId]) {
        if let Ok(mut known) = self.0.lock() {
            known.retain(|(segment, _), _| segments.contains(segment));
        }
    }
}

/// The statistics of the documents alive in one searcher's segments.
pub(super) struct LiveStatistics {
    searcher: Searcher,
    /// Per segment, its deleted documents in order.
    deleted: Vec<Vec<DocId>>,
    segment_tokens: Arc<SegmentTokens>,
    tokens: Mutex<HashMap<Field, u64>>,
    doc_freqs: Mutex<HashMap<Term, u64>>,
}

impl LiveStatistics {
    pub(super) fn new(searcher: &Searcher, segment_tokens: Arc<SegmentTokens>) -> Self {
        let deleted = searcher
            .segment_readers()
            .iter()
            .map(|reader| match reader.alive_bitset() {
                Some(alive) => (0..reader.max_doc()).filter(|doc| !alive.is_alive(*doc)).collect(),
                None => Vec::new(),
            })
            .collect();
        let segments: Vec<SegmentId> = searcher.segment_readers().iter().map(|reader| reader.segment_id()).collect();
        segment_tokens.keep_only(&segments);
        Self { searcher: searcher.clone(), deleted, segment_tokens, tokens: Mutex::default(), doc_freqs: Mutex::default() }
    }

    /// Whether any segment holds a deleted document (when none does, these are the searcher's
    /// own statistics).
    fn holds_deleted(&self) -> bool {
        self.deleted.iter().any(|deleted| !deleted.is_empty())
    }

    /// The field's tokens in the documents alive, as their field norms record them.
    fn live_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let mut total = 0;
        for (reader, deleted) in self.searcher.segment_readers().iter().zip(&self.deleted) {
            let Some(norms) = reader.fieldnorms_readers().get_field(field)? else { continue };
            let all = remembered(&self.segment_tokens.0, &(reader.segment_id(), field), || {
                Ok((0..reader.max_doc()).map(|doc| u64::from(norms.fieldnorm(doc))).sum())
            })?;
            let gone: u64 = deleted.iter().map(|doc| u64::from(norms.fieldnorm(*doc))).sum();
            total += all.saturating_sub(gone);
        }
        Ok(total)
    }

    fn deleted_with(&self, term: &Term) -> tantivy::Result<u64> {
        let mut total = 0;
        for (reader, deleted) in self.searcher.segment_readers().iter().zip(&self.deleted) {
            if deleted.is_empty() {
                continue;
            }
            let inverted = reader.inverted_index(term.field())?;
            let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)? else { continue };
            for doc in deleted {
                if postings.doc() > *doc {
                    continue;
                }
                if postings.seek(*doc) == *doc {
                    total += 1;
                }
            }
        }
        Ok(total)
    }
}

/// Reads a value once and keeps it.
fn remembered<K: std::hash::Hash + Eq + Clone>(
    cache: &Mutex<HashMap<K, u64>>,
    key: &K,
    compute: impl FnOnce() -> tantivy::Result<u64>,
) -> tantivy::Result<u64> {
    if let Some(value) = cache.lock().ok().and_then(|known| known.get(key).copied()) {
        return Ok(value);
    }
    let value = compute()?;
    if let Ok(mut known) = cache.lock() {
        known.insert(key.clone(), value);
    }
    Ok(value)
}

impl Bm25StatisticsProvider for LiveStatistics {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        remembered(&self.tokens, &field, || self.live_tokens(field))
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.searcher.num_docs())
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let all = self.searcher.doc_freq(term)?;
        if !self.holds_deleted() {
            return Ok(all);
        }
        let deleted = remembered(&self.doc_freqs, term, || self.deleted_with(term))?;
        Ok(all.saturating_sub(deleted))
    }
}
