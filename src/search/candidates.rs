//! Which matches become candidates for ranking: the best by BM25, equal scores in IRI order.
//!
//! Tantivy's `TopDocs` breaks equal scores by document address, so which of many equal matches
//! make the cut depends on how documents are spread over segments and ordered inside one: on
//! the threads that built the index, and on which documents a write re-added since. Synthetic
//! and imported offers tie often (the same words, the same length). [`BestMatches`] breaks
//! those ties by IRI instead, so a full build and an index grown by writes choose the same
//! candidates, and each build the same as the one before.

use std::cmp::Ordering;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// The `limit` best matches by score, equal scores by IRI (the fast field `iri_field`).
pub(super) struct BestMatches {
    limit: usize,
    iri_field: &'static str,
}

impl BestMatches {
    pub(super) fn new(limit: usize, iri_field: &'static str) -> Self {
        Self { limit, iri_field }
    }
}

/// A match kept in one segment: its score, its IRI's ordinal (IRI order within the segment)
/// and its document.
type Kept = (Score, u64, DocId);

/// Best first: higher score, then lower IRI ordinal.
fn better(a: &Kept, b: &Kept) -> Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

pub(super) struct SegmentBest {
    segment: SegmentOrdinal,
    limit: usize,
    iris: Option<StrColumn>,
    kept: Vec<Kept>,
    /// The worst score among the `limit` best once that many were seen: lower ones cannot enter.
    threshold: Score,
}

impl SegmentBest {
    /// Offers a match; returns the score a later match must reach to be worth offering.
    fn offer(&mut self, doc: DocId, score: Score) -> Score {
        if self.limit == 0 || score < self.threshold {
            return self.threshold;
        }
        let ordinal = self.iris.as_ref().and_then(|iris| iris.ords().first(doc)).unwrap_or(u64::from(doc));
        self.kept.push((score, ordinal, doc));
        if self.kept.len() >= 2 * self.limit {
            self.keep_best();
            self.threshold = self.kept[self.limit - 1].0;
        }
        self.threshold
    }

    fn keep_best(&mut self) {
        if self.kept.len() > self.limit {
            self.kept.select_nth_unstable_by(self.limit - 1, better);
            self.kept.truncate(self.limit);
        }
        self.kept.sort_unstable_by(better);
    }
}

impl SegmentCollector for SegmentBest {
    type Fruit = Vec<(Score, String, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.offer(doc, score);
    }

    fn harvest(mut self) -> Self::Fruit {
        self.keep_best();
        let segment = self.segment;
        self.kept
            .into_iter()
            .map(|(score, ordinal, doc)| {
                let mut iri = String::new();
                if let Some(iris) = &self.iris {
                    // A failed read leaves the IRI empty, which only changes the order of equals.
                    let _ = iris.ord_to_str(ordinal, &mut iri);
                }
                (score, iri, DocAddress::new(segment, doc))
            })
            .collect()
    }
}

impl Collector for BestMatches {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = SegmentBest;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentBest> {
        let iris = reader.fast_fields().str(self.iri_field)?;
        Ok(SegmentBest { segment, limit: self.limit, iris, kept: Vec::new(), threshold: Score::MIN })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(Score, String, DocAddress)>>) -> tantivy::Result<Self::Fruit> {
        let mut all: Vec<(Score, String, DocAddress)> = fruits.into_iter().flatten().collect();
        all.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(all.into_iter().take(self.limit).map(|(score, _, address)| (score, address)).collect())
    }

    /// Lets the query skip what cannot enter (block-max WAND in unions), as `TopDocs` does, but
    /// keeps matches equal to the threshold: one of them may come first by IRI.
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Vec<(Score, String, DocAddress)>> {
        let mut best = self.for_segment(segment, reader)?;
        let alive = reader.alive_bitset();
        weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
            let threshold = if alive.is_none_or(|alive| alive.is_alive(doc)) { best.offer(doc, score) } else { best.threshold };
            threshold.next_down()
        })?;
        Ok(best.harvest())
    }
}
