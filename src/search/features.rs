//! What the ranking rules read of a candidate: the index's columns (fast fields), never its
//! stored document, which only the results shown are read from. The question's terms are
//! looked up once per segment as term ordinals ([`SegmentTerms`]), and a candidate's columns are
//! kept only where they hold one of them ([`Features`]), so that ranking compares numbers.
//! The small columns (type, concepts, roles, phases, areas) are decoded once per engine.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, InvertedIndexReader, Searcher, SegmentReader};

use crate::search::index::{Fields, NOT_PLACE_BOUND, PART_MARK};

use super::rules::Attribute;
use super::{QuestionWord, SearchError};

/// The term columns, in the order of the attributes they stand for (see [`attribute_column`]).
const TERM_COLUMNS: [&str; 4] = ["label_terms", "name_terms", "context_terms", "description_terms"];
/// The columns of names' folded words, for typos: the label's, the other names'.
const WORD_COLUMNS: [&str; 2] = ["label_words", "name_words"];

/// The term column of an attribute that has one.
pub(super) fn attribute_column(attribute: Attribute) -> Option<usize> {
    match attribute {
        Attribute::Label => Some(0),
        Attribute::OtherName => Some(1),
        Attribute::Linked => Some(2),
        Attribute::Description => Some(3),
        Attribute::Concept => None,
    }
}

/// A column whose every value is decoded once.
struct SmallColumn {
    column: Option<StrColumn>,
    values: Vec<String>,
}

impl SmallColumn {
    fn open(segment: &SegmentReader, name: &str) -> Result<Self, SearchError> {
        let column = segment.fast_fields().str(name)?;
        let mut values = Vec::new();
        if let Some(column) = &column {
            let count = column.num_terms() as u64;
            values.reserve(count as usize);
            column.dictionary().sorted_ords_to_term_cb(0..count, |bytes| {
                values.push(String::from_utf8_lossy(bytes).into_owned());
                Ok(())
            })?;
        }
        Ok(Self { column, values })
    }

    fn values(&self, doc: DocId) -> impl Iterator<Item = &str> + '_ {
        self.column
            .iter()
            .flat_map(move |column| column.term_ords(doc))
            .filter_map(|ord| self.values.get(ord as usize).map(String::as_str))
    }
}

/// Dictionaries of at most this many terms are decoded into a hash map once per engine.
const DECODED_TERMS: usize = 100_000;

/// A column of terms that the question's terms are looked up in.
struct TermColumn {
    column: Option<StrColumn>,
    /// Term → ordinal, when the dictionary is small enough: a column's dictionary is an sstable
    /// read block by block, slow for single lookups.
    decoded: Option<HashMap<Box<str>, u64>>,
}

impl TermColumn {
    fn open(segment: &SegmentReader, name: &str) -> Result<Self, SearchError> {
        let column = segment.fast_fields().str(name)?;
        let decoded = match &column {
            Some(column) if column.num_terms() <= DECODED_TERMS => {
                let mut decoded = HashMap::with_capacity(column.num_terms());
                let mut ord = 0;
                column.dictionary().sorted_ords_to_term_cb(0..column.num_terms() as u64, |bytes| {
                    decoded.insert(String::from_utf8_lossy(bytes).into(), ord);
                    ord += 1;
                    Ok(())
                })?;
                Some(decoded)
            }
            _ => None,
        };
        Ok(Self { column, decoded })
    }

    fn ord(&self, term: &str) -> Option<u64> {
        match &self.decoded {
            Some(decoded) => decoded.get(term).copied(),
            None => self.column.as_ref().and_then(|column| column.dictionary().term_ord(term).ok().flatten()),
        }
    }

    fn ords(&self, doc: DocId) -> impl Iterator<Item = u64> + '_ {
        self.column.iter().flat_map(move |column| column.term_ords(doc))
    }
}

/// The columns of one segment.
struct SegmentColumns {
    terms: [TermColumn; 4],
    /// The indexed fields the term columns were analysed from, in the same order: their term
    /// dictionaries (FSTs) say quickly that a term is absent, which a column's dictionary
    /// (an sstable read block by block) says slowly.
    indexed: [Arc<InvertedIndexReader>; 4],
    indexed_keys: Arc<InvertedIndexReader>,
    words: [TermColumn; 2],
    name_keys: TermColumn,
    label_keys: TermColumn,
    iri: Option<StrColumn>,
    kind: SmallColumn,
    tags: [SmallColumn; 3],
    area: SmallColumn,
}

/// The columns of every segment the engine searches.
pub(super) struct Columns {
    segments: Vec<SegmentColumns>,
}

impl Columns {
    pub fn open(searcher: &Searcher, fields: &Fields) -> Result<Self, SearchError> {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                let str = |name: &str| segment.fast_fields().str(name);
                let terms = |name: &str| TermColumn::open(segment, name);
                let indexed = |field| segment.inverted_index(field);
                Ok(SegmentColumns {
                    terms: [terms(TERM_COLUMNS[0])?, terms(TERM_COLUMNS[1])?, terms(TERM_COLUMNS[2])?, terms(TERM_COLUMNS[3])?],
                    indexed: [
                        indexed(fields.label)?,
                        indexed(fields.names)?,
                        indexed(fields.context)?,
                        indexed(fields.description)?,
                    ],
                    indexed_keys: indexed(fields.name_keys)?,
                    words: [terms(WORD_COLUMNS[0])?, terms(WORD_COLUMNS[1])?],
                    name_keys: terms("name_keys")?,
                    label_keys: terms("label_keys")?,
                    iri: str("iri")?,
                    kind: SmallColumn::open(segment, "kind")?,
                    tags: [
                        SmallColumn::open(segment, "concept")?,
                        SmallColumn::open(segment, "role")?,
                        SmallColumn::open(segment, "phase")?,
                    ],
                    area: SmallColumn::open(segment, "area")?,
                })
            })
            .collect::<Result<_, SearchError>>()?;
        Ok(Self { segments })
    }

    /// The question's terms as ordinals of each segment.
    pub fn question_terms(&self, words: &[QuestionWord], keys: &[String], asked: &[(String, usize)]) -> Vec<SegmentTerms> {
        self.segments.iter().map(|segment| SegmentTerms::new(segment, words, keys, asked)).collect()
    }

    /// A candidate's features, its columns kept where they hold a term of the question.
    pub fn features(&self, address: DocAddress, terms: &[SegmentTerms]) -> Features<'_> {
        let segment = &self.segments[address.segment_ord as usize];
        let question = &terms[address.segment_ord as usize];
        let doc = address.doc_id;
        let ords = |column: &TermColumn| -> Vec<u64> { column.ords(doc).collect() };
        let kept = |column: &TermColumn, wanted: &[u64]| -> Vec<u64> {
            column.ords(doc).filter(|ord| wanted.binary_search(ord).is_ok()).collect()
        };
        let terms = std::array::from_fn(|column| kept(&segment.terms[column], &question.relevant[column]));
        let areas = segment.area.values(doc).filter(|area| *area != NOT_PLACE_BOUND).collect();
        Features {
            address,
            iri: segment.iri.as_ref().and_then(|column| column.term_ords(doc).next()).unwrap_or_default(),
            kind: segment.kind.values(doc).next().unwrap_or_default(),
            terms,
            words: [ords(&segment.words[0]), ords(&segment.words[1])],
            name_keys: kept(&segment.name_keys, &question.name_keys),
            label_keys: kept(&segment.label_keys, &question.label_keys),
            tags: segment.tags.iter().flat_map(|tags| tags.values(doc)).collect(),
            areas,
        }
    }

    /// The folded words of names behind `ords` of a segment's label (0) or other names (1).
    pub fn words(&self, segment: u32, column: usize, mut ords: Vec<u64>) -> Result<HashMap<u64, String>, SearchError> {
        ords.sort_unstable();
        ords.dedup();
        let mut words = HashMap::with_capacity(ords.len());
        if let Some(column) = &self.segments[segment as usize].words[column].column {
            let mut next = ords.iter();
            column.dictionary().sorted_ords_to_term_cb(ords.iter().copied(), |bytes| {
                if let Some(ord) = next.next() {
                    words.insert(*ord, String::from_utf8_lossy(bytes).into_owned());
                }
                Ok(())
            })?;
        }
        Ok(words)
    }

    /// The IRI of a candidate.
    pub fn iri(&self, features: &Features<'_>) -> String {
        let mut iri = String::new();
        if let Some(column) = &self.segments[features.address.segment_ord as usize].iri {
            // A failed read leaves the IRI empty, which only changes the order of equals.
            let _ = column.ord_to_str(features.iri, &mut iri);
        }
        iri
    }
}

/// One word of the question as ordinals of one segment's term columns.
#[derive(Default)]
pub(super) struct WordOrds {
    /// The word's term, per term column.
    pub whole: [Option<u64>; 4],
    /// The word's term as a compound part of a word of the document.
    pub as_part: [Option<u64>; 4],
    /// The word's own compound parts.
    pub parts: Vec<[Option<u64>; 4]>,
}

/// The question's terms as ordinals of one segment.
pub(super) struct SegmentTerms {
    pub words: Vec<WordOrds>,
    /// Per key of the question: its ordinal among the names' keys and the label's.
    pub keys: Vec<(Option<u64>, Option<u64>)>,
    /// The question's folded words among the label's words.
    pub asked_words: Vec<Option<u64>>,
    /// Sorted: the ordinals a candidate's columns are kept at (few, so searched, not hashed).
    relevant: [Vec<u64>; 4],
    name_keys: Vec<u64>,
    label_keys: Vec<u64>,
}

impl SegmentTerms {
    fn new(segment: &SegmentColumns, words: &[QuestionWord], keys: &[String], asked: &[(String, usize)]) -> Self {
        let ord = |column: &TermColumn, term: &str| column.ord(term);
        let indexed = |index: &InvertedIndexReader, term: &str| index.terms().term_ord(term).ok().flatten().is_some();
        // `as_part` looks for the term marked as a part ("~zorg"), which is indexed unmarked.
        let per_column = |term: &str, as_part: bool| -> [Option<u64>; 4] {
            std::array::from_fn(|column| {
                if !indexed(&segment.indexed[column], term) {
                    return None;
                }
                if as_part {
                    ord(&segment.terms[column], &format!("{PART_MARK}{term}"))
                } else {
                    ord(&segment.terms[column], term)
                }
            })
        };
        let words: Vec<WordOrds> = words
            .iter()
            .map(|word| WordOrds {
                whole: per_column(&word.terms.whole, false),
                as_part: per_column(&word.terms.whole, true),
                parts: word.terms.parts.iter().map(|part| per_column(part, false)).collect(),
            })
            .collect();
        let mut relevant: [Vec<u64>; 4] = Default::default();
        for word in &words {
            for forms in [&word.whole, &word.as_part].into_iter().chain(&word.parts) {
                for (column, ord) in forms.iter().enumerate() {
                    relevant[column].extend(*ord);
                }
            }
        }
        let keys: Vec<(Option<u64>, Option<u64>)> = keys
            .iter()
            .map(|key| match indexed(&segment.indexed_keys, key) {
                true => (ord(&segment.name_keys, key), ord(&segment.label_keys, key)),
                false => (None, None),
            })
            .collect();
        for ords in &mut relevant {
            ords.sort_unstable();
            ords.dedup();
        }
        let sorted = |mut ords: Vec<u64>| {
            ords.sort_unstable();
            ords
        };
        Self {
            words,
            name_keys: sorted(keys.iter().filter_map(|(name, _)| *name).collect()),
            label_keys: sorted(keys.iter().filter_map(|(_, label)| *label).collect()),
            keys,
            asked_words: asked.iter().map(|(word, _)| ord(&segment.words[0], word)).collect(),
            relevant,
        }
    }
}

/// What ranking reads of one candidate.
pub(super) struct Features<'c> {
    pub address: DocAddress,
    /// The IRI's ordinal in its segment: the order of IRIs within a segment.
    pub iri: u64,
    pub kind: &'c str,
    /// Per term column, the question's terms it holds.
    pub terms: [Vec<u64>; 4],
    /// The folded words of the label (0) and of the other names (1).
    pub words: [Vec<u64>; 2],
    /// The question's keys among the names' keys and the label's.
    pub name_keys: Vec<u64>,
    pub label_keys: Vec<u64>,
    /// Concepts, roles and phases.
    pub tags: Vec<&'c str>,
    /// Areas served (none when bound to no place).
    pub areas: Vec<&'c str>,
}

impl Features<'_> {
    /// Whether the term column of `attribute` holds the term `ord`.
    pub fn has(&self, attribute: Attribute, ord: &[Option<u64>; 4]) -> bool {
        attribute_column(attribute).is_some_and(|column| ord[column].is_some_and(|ord| self.terms[column].contains(&ord)))
    }
}
