//! Facets: over every match of a question (not only the page shown), how many results there are
//! of each type, role and phase, counted in the same pass.

use std::collections::BTreeMap;

use serde::Serialize;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, InvertedIndexReader, Score, SegmentOrdinal, SegmentReader, TERMINATED};

/// Counts per value of each faceted field, and the number of matches.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Facets {
    pub total: usize,
    /// Result type (class name) → count.
    #[serde(rename = "type")]
    pub kind: BTreeMap<String, usize>,
    /// Role IRI → count.
    pub role: BTreeMap<String, usize>,
    /// Phase IRI → count.
    pub phase: BTreeMap<String, usize>,
}

/// Collects [`Facets`]: the matches are marked in a bitmap while they are collected, and counted
/// per value at the end by walking the postings of each value of `kind`, `role` and `phase`
/// (a few dozen values), which costs far less than reading columns for every match.
pub(super) struct FacetCollector;

const FIELDS: [&str; 3] = ["kind", "role", "phase"];

pub(super) struct FacetSegment {
    indexes: Vec<Option<Arc<InvertedIndexReader>>>,
    /// Bit `doc` is set when `doc` matched.
    matched: Vec<u64>,
    total: usize,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegment;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<FacetSegment> {
        let schema = segment.schema();
        let indexes = FIELDS
            .iter()
            .map(|name| schema.get_field(name).ok().map(|field| segment.inverted_index(field)).transpose())
            .collect::<tantivy::Result<Vec<_>>>()?;
        let matched = vec![0; (segment.max_doc() as usize).div_ceil(64)];
        Ok(FacetSegment { indexes, matched, total: 0 })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Facets>) -> tantivy::Result<Facets> {
        let mut merged = Facets::default();
        for facets in segments {
            merged.total += facets.total;
            for (into, from) in
                [(&mut merged.kind, facets.kind), (&mut merged.role, facets.role), (&mut merged.phase, facets.phase)]
            {
                for (value, count) in from {
                    *into.entry(value).or_default() += count;
                }
            }
        }
        Ok(merged)
    }
}

impl FacetSegment {
    fn is_match(&self, doc: DocId) -> bool {
        self.matched.get(doc as usize / 64).is_some_and(|word| word & (1 << (doc % 64)) != 0)
    }

    /// The matches per value of one field.
    fn count(&self, index: &InvertedIndexReader) -> std::io::Result<BTreeMap<String, usize>> {
        let mut counts = BTreeMap::new();
        let mut terms = index.terms().stream()?;
        while terms.advance() {
            let mut postings = index.read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
            let mut count = 0;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                count += usize::from(self.is_match(doc));
                doc = postings.advance();
            }
            if count > 0 {
                counts.insert(String::from_utf8_lossy(terms.key()).into_owned(), count);
            }
        }
        Ok(counts)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = Facets;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.total += 1;
        if let Some(word) = self.matched.get_mut(doc as usize / 64) {
            *word |= 1 << (doc % 64);
        }
    }

    fn harvest(self) -> Facets {
        // A value whose postings cannot be read is left out of the counts; the results stand.
        let count =
            |position: usize| self.indexes[position].as_ref().and_then(|index| self.count(index).ok()).unwrap_or_default();
        Facets { total: self.total, kind: count(0), role: count(1), phase: count(2) }
    }
}
