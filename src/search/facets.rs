//! Facets: over every match of a question (not only the page shown), how many results there are
//! of each type, role and phase, counted from the index's fast fields in the same pass.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

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

/// Collects [`Facets`] over the fast fields `kind`, `role` and `phase`.
pub(super) struct FacetCollector;

const FIELDS: [&str; 3] = ["kind", "role", "phase"];

pub(super) struct FacetSegment {
    columns: Vec<Option<StrColumn>>,
    /// Per field, a count per term ordinal.
    counts: Vec<Vec<usize>>,
    total: usize,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegment;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<FacetSegment> {
        let columns = FIELDS.iter().map(|field| segment.fast_fields().str(field)).collect::<tantivy::Result<Vec<_>>>()?;
        let counts = columns.iter().map(|column| vec![0; column.as_ref().map_or(0, |c| c.num_terms())]).collect();
        Ok(FacetSegment { columns, counts, total: 0 })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Facets>) -> tantivy::Result<Facets> {
        let mut merged = Facets::default();
        for facets in segments {
            merged.total += facets.total;
            for (into, from) in [(&mut merged.kind, facets.kind), (&mut merged.role, facets.role), (&mut merged.phase, facets.phase)] {
                for (value, count) in from {
                    *into.entry(value).or_default() += count;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = Facets;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.total += 1;
        for (column, counts) in self.columns.iter().zip(&mut self.counts) {
            if let Some(column) = column {
                for ordinal in column.term_ords(doc) {
                    if let Some(count) = usize::try_from(ordinal).ok().and_then(|ordinal| counts.get_mut(ordinal)) {
                        *count += 1;
                    }
                }
            }
        }
    }

    fn harvest(self) -> Facets {
        let mut facets = Facets { total: self.total, ..Facets::default() };
        let maps = [&mut facets.kind, &mut facets.role, &mut facets.phase];
        for ((column, counts), map) in self.columns.iter().zip(self.counts).zip(maps) {
            let Some(column) = column else { continue };
            for (ordinal, count) in counts.into_iter().enumerate().filter(|(_, count)| *count > 0) {
                let mut value = String::new();
                if column.ord_to_str(ordinal as u64, &mut value).unwrap_or(false) {
                    map.insert(value, count);
                }
            }
        }
        facets
    }
}
