//! Search: a question becomes places, concepts and words; the index finds every resource that
//! matches a word, a named concept (or one linked to it), a name equal to the question, or, for a
//! question that is only a place, serves that place; the best of them are ranked by ordered,
//! named rules (`rules`, [`RankingRules`]) and each result says why, from the rules that placed it ([`Reason`]).
//! Locality ranks and never hides: what is bound to a place is found without one, and what
//! serves elsewhere comes after what serves the place asked for, marked as such.
//!
//! ```no_run
//! # fn demo(engine: &kansrijk::search::SearchEngine) -> Result<(), kansrijk::search::SearchError> {
//! let answer = engine.search("aanbod voor tienerzwangerschap in Aalsmeer", 10, None)?;
//! for hit in &answer.results {
//!     println!("{} — {}", hit.label, hit.why.join("; "));
//! }
//! # Ok(()) }
//! ```

mod cache;
mod candidates;
mod concepts;
mod facets;
mod features;
pub mod index;
mod kinds;
pub mod question;
mod reason;
mod rules;
mod snippet;
mod statistics;
mod understanding;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use oxigraph::model::GraphName;
use rapidfuzz::distance::osa;
use serde::Serialize;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

pub use facets::Facets;
pub use kinds::resolve_type;
pub use reason::{PlaceName, Reason};
pub use rules::{Attribute, Exactness, Placement, RankingRules, Rule};
pub use snippet::Snippet;

use crate::analysis::{self, WordTerms};
use crate::catalog::contact::Contact;
use crate::places::{Places, name_key};
use crate::search::index::{IndexError, NOT_PLACE_BOUND, SearchIndex};
use crate::search::question::{ConceptKind, PlaceKind, RecognisedConcept, Understood};
use crate::store::{StoreError, StoreView};
use cache::{AnswerCache, AnswerKey};
use candidates::BestMatches;
use concepts::{AskedWord, Evidence};
use features::{Columns, Features, SegmentTerms};
use statistics::LiveStatistics;
use understanding::Understanding;
pub use understanding::UnderstandingChange;

/// Results per request at most.
pub const MAX_LIMIT: usize = 100;
/// How far one can page: beyond it nobody reads, and it bounds the work of a request.
pub const MAX_OFFSET: usize = 1_000;
/// The best matches by BM25 that the rules rank (more when a later page is asked for).
const CANDIDATES: usize = 80;
/// Matches by name added to the candidates however they score on the whole question.
const NAME_CANDIDATES: usize = 30;
/// Matches serving the named place added to the candidates however they score.
const LOCAL_CANDIDATES: usize = 40;
/// Locality rank of what serves the whole country (or no place in particular), and of what
/// serves only places elsewhere, when a place is named. Nearer levels rank 0 (the place) up.
const NATIONAL: u8 = 8;
const ELSEWHERE: u8 = 9;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("search: reading the store: {0}")]
    Store(#[from] StoreError),
    #[error("search failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search: writing the answer as JSON: {0}")]
    Json(#[source] serde_json::Error),
    #[error("search: reading the index's columns: {0}")]
    Columns(#[from] std::io::Error),
    #[error("onbekend type {0:?}; kies uit: {1}")]
    UnknownType(String, String),
}

/// One result.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    pub iri: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// Decreases with the rank (1 for the first result); compare within one answer only.
    pub score: f32,
    /// The reasons in Dutch, as `reasons` has them.
    pub why: Vec<String>,
    pub reasons: Vec<Reason>,
    pub snippet: String,
    /// The matched words in `snippet`, as `[from, to)` character offsets.
    pub marks: Vec<(usize, usize)>,
    /// What the graph knows to act on it: provider, website, phone, e-mail, address, contact
    /// points, areas served.
    #[serde(skip_serializing_if = "Contact::is_empty")]
    pub contact: Contact,
}

#[derive(Clone, Debug, Serialize)]
pub struct SearchResponse {
    pub query: String,
    pub understood: Understood,
    /// Words of the question that nothing in the graph is named or tagged with.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_found: Vec<String>,
    /// All matches, of which `results` is the page from `offset`.
    pub total: usize,
    pub offset: usize,
    pub results: Vec<Hit>,
    pub facets: Facets,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Last, so that a cached answer's JSON can be reused with a new figure (see `cache`).
    pub took_ms: f64,
}

/// A question and which page of its answer.
#[derive(Clone, Copy, Debug)]
pub struct Ask<'q> {
    pub question: &'q str,
    pub limit: usize,
    pub offset: usize,
    /// Only results of this type (class name or Dutch name, as `type=` accepts).
    pub kind: Option<&'q str>,
}

fn elapsed_ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

/// Everything needed to answer questions: the index, the gazetteer and the concepts.
pub struct SearchEngine {
    index: SearchIndex,
    understanding: Arc<Understanding>,
    rules: RankingRules,
    analyzer: TextAnalyzer,
    answers: AnswerCache,
    /// The index as it was when the engine was made (it never changes under an engine).
    searcher: Searcher,
    /// BM25 statistics of the searcher's documents alive.
    statistics: LiveStatistics,
    columns: Columns,
}

/// A word of the question as ranking sees it: what was typed, and its analysed terms.
struct QuestionWord {
    typed: String,
    folded: String,
    terms: WordTerms,
    literal: bool,
    /// Typos forgiven when matching it (0 for Dutch words and literal ones).
    typo_budget: usize,
    /// Concepts, roles and phases this word names.
    names: Vec<String>,
    /// The typos forgiven when it names them (0 when it names them as they are).
    names_typos: usize,
}

impl QuestionWord {
    /// A Dutch word long enough for a typo, which is therefore not read as one.
    fn forgives_no_typo(&self) -> bool {
        !self.literal && self.typo_budget == 0 && concepts::typo_budget(self.folded.chars().count()) > 0
    }

    /// The word's compound parts as words of their own ("kraamzorg" → "kraam", "zorg").
    fn into_parts(self) -> Vec<QuestionWord> {
        if self.terms.parts.is_empty() {
            return vec![self];
        }
        self.terms
            .parts
            .iter()
            .zip(&self.terms.part_texts)
            .map(|(part, text)| QuestionWord {
                typed: text.clone(),
                folded: analysis::fold(text),
                terms: WordTerms { whole: part.clone(), ..WordTerms::default() },
                literal: self.literal,
                typo_budget: 0,
                names: Vec::new(),
                names_typos: 0,
            })
            .collect()
    }
}

/// A question, understood and prepared for matching and ranking.
struct Prepared {
    understood: Understood,
    words: Vec<QuestionWord>,
    /// The folded keys a name equal to the question has: the whole question's, then (when it
    /// names a place) the rest's.
    keys: Vec<String>,
    /// The terms of the whole question (its place included) and the typos each may carry.
    all_terms: Vec<(String, usize)>,
    asked_types: Vec<&'static str>,
    /// Concepts within reach of a recognised one: (distance, recognised concept, first relation).
    reach: HashMap<String, (usize, String, Option<&'static str>)>,
    /// The recognised roles and phases, which are searched in their own fields.
    reach_kinds: HashMap<String, ConceptKind>,
    place: Option<usize>,
    /// Places and their locality rank: 0 for the named place and what lies in it, then its
    /// GGD region (1), province (2).
    levels: HashMap<String, u8>,
}

impl Prepared {
    fn is_empty(&self) -> bool {
        self.words.is_empty() && self.reach.is_empty() && self.place.is_none() && self.asked_types.is_empty()
    }
}

/// A candidate ranked: where the rules place it and why.
struct Ranked<'c> {
    placement: Placement,
    /// Named by the question (a name equal to it): said first in the reasons.
    named: bool,
    reasons: Vec<Reason>,
    features: Features<'c>,
    /// Words of the question it matched, to mark in the snippet.
    matched_words: Vec<usize>,
    /// Words matched in a label, another name or as a concept.
    named_words: Vec<usize>,
}

/// A candidate with what ranking compares it with: the question's terms in its segment and
/// the folded words of its segment's names that typo matching reads.
struct Candidate<'a, 'c> {
    features: &'a Features<'c>,
    terms: &'a SegmentTerms,
    words: &'a [HashMap<u64, String>; 2],
}

impl SearchEngine {
    /// The place gazetteer questions are read with, for reconciliation to read names as search does.
    pub fn places(&self) -> &Arc<Places> {
        &self.understanding.gazetteer.places
    }

    pub fn new(index: SearchIndex, store: &StoreView) -> Result<Self, SearchError> {
        let understanding = Understanding::read(store, &index.lexicon)?;
        Self::with_understanding(index, Arc::new(understanding), RankingRules::default())
    }

    /// Whether a write that changed `graphs` (`before` and `after` it) changes what questions
    /// are understood with: when it changed a graph that names places or concepts. The index's
    /// catch-up then takes its places from the store, and [`Self::after_write`] reads them again.
    pub fn understanding_after(
        before: &StoreView,
        after: &StoreView,
        graphs: &[GraphName],
    ) -> Result<UnderstandingChange, SearchError> {
        for graph in graphs {
            if understanding::names_places_or_concepts(before, graph)? || understanding::names_places_or_concepts(after, graph)? {
                return Ok(UnderstandingChange::ReadAgain);
            }
        }
        Ok(UnderstandingChange::Kept)
    }

    /// The engine of the store `after` a write, searching `index`, which reflects it. What
    /// questions are understood with is kept unless `change` (from [`Self::understanding_after`])
    /// says to read it again; a new compound lexicon reads the same names again. Gives what
    /// [`Self::new`] would.
    pub fn after_write(&self, index: SearchIndex, after: &StoreView, change: UnderstandingChange) -> Result<Self, SearchError> {
        let understanding = match change {
            UnderstandingChange::ReadAgain => Arc::new(Understanding::read(after, &index.lexicon)?),
            UnderstandingChange::Kept if Arc::ptr_eq(&index.lexicon, &self.index.lexicon) => Arc::clone(&self.understanding),
            UnderstandingChange::Kept => Arc::new(self.understanding.with_lexicon(&index.lexicon)),
        };
        Self::with_understanding(index, understanding, self.rules.clone())
    }

    fn with_understanding(
        index: SearchIndex,
        understanding: Arc<Understanding>,
        rules: RankingRules,
    ) -> Result<Self, SearchError> {
        let searcher = index.reader.searcher();
        let columns = Columns::open(&searcher, &index.fields)?;
        Ok(Self {
            statistics: LiveStatistics::new(&searcher, Arc::clone(&index.segment_tokens)),
            searcher,
            columns,
            analyzer: analysis::dutch_analyzer(Arc::clone(&index.lexicon)),
            index,
            understanding,
            rules,
            answers: AnswerCache::new(),
        })
    }

    /// The same engine ranking by other rules (for relevance experiments and benchmarks).
    pub fn with_rules(mut self, rules: RankingRules) -> Self {
        self.rules = rules;
        self.answers = AnswerCache::new();
        self
    }

    /// The index this engine searches.
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    pub fn rules(&self) -> &RankingRules {
        &self.rules
    }

    fn label<'a>(&'a self, iri: &'a str) -> &'a str {
        self.understanding.labels.get(iri).map_or(iri, String::as_str)
    }

    /// Answers `question` with its first `limit` results, optionally of one type.
    pub fn search(&self, question: &str, limit: usize, kind: Option<&str>) -> Result<SearchResponse, SearchError> {
        self.ask(&Ask { question, limit, offset: 0, kind })
    }

    /// Answers one page of a question.
    pub fn ask(&self, ask: &Ask<'_>) -> Result<SearchResponse, SearchError> {
        let started = Instant::now();
        let key = self.key(ask)?;
        if let Some(known) = self.answers.get(&key) {
            let mut answer = known.response.clone();
            answer.took_ms = elapsed_ms(started);
            return Ok(answer);
        }
        let answer = self.answer(ask.question, key.1, key.2, key.3, started)?;
        self.answers.put(key, answer.clone());
        Ok(answer)
    }

    /// Like [`Self::ask`], as the answer's JSON, written once for the answer and the cache.
    pub fn ask_json(&self, ask: &Ask<'_>) -> Result<String, SearchError> {
        let started = Instant::now();
        let key = self.key(ask)?;
        if let Some(known) = self.answers.get(&key) {
            return Ok(known.json(elapsed_ms(started)));
        }
        let answer = self.answer(ask.question, key.1, key.2, key.3, started)?;
        let took_ms = answer.took_ms;
        match self.answers.put(key, answer.clone()) {
            Some(cached) => Ok(cached.json(took_ms)),
            None => serde_json::to_string(&answer).map_err(SearchError::Json),
        }
    }

    /// The answer given recently to the same question, if it is still in the cache: cheap
    /// enough to call on an async thread before handing the search to a blocking one.
    pub fn recall(&self, question: &str, limit: usize, kind: Option<&str>) -> Option<SearchResponse> {
        let started = Instant::now();
        let key = self.key(&Ask { question, limit, offset: 0, kind }).ok()?;
        let mut answer = self.answers.get(&key)?.response.clone();
        answer.took_ms = elapsed_ms(started);
        Some(answer)
    }

    /// Like [`Self::recall`] for any page, as the answer's JSON.
    pub fn recall_json(&self, ask: &Ask<'_>) -> Option<String> {
        let started = Instant::now();
        let cached = self.answers.get(&self.key(ask).ok()?)?;
        Some(cached.json(elapsed_ms(started)))
    }

    /// Answers without looking at or filling the cache of recent answers (for benchmarks).
    pub fn search_uncached(&self, question: &str, limit: usize, kind: Option<&str>) -> Result<SearchResponse, SearchError> {
        let started = Instant::now();
        let key = self.key(&Ask { question, limit, offset: 0, kind })?;
        self.answer(question, key.1, key.2, key.3, started)
    }

    fn key(&self, ask: &Ask<'_>) -> Result<AnswerKey, SearchError> {
        let kind = ask.kind.filter(|kind| !kind.is_empty()).map(resolve_type).transpose()?;
        Ok((ask.question.to_owned(), ask.limit.clamp(1, MAX_LIMIT), ask.offset.min(MAX_OFFSET), kind))
    }

    fn answer(
        &self,
        question: &str,
        limit: usize,
        offset: usize,
        kind: Option<&'static str>,
        started: Instant,
    ) -> Result<SearchResponse, SearchError> {
        let mut analyzer = self.analyzer.clone();
        let mut prepared = self.prepare(question, &mut analyzer);
        if prepared.is_empty() {
            let message = "Geef een zoekvraag op, bijvoorbeeld: aanbod voor tienerzwangerschap in Aalsmeer.";
            return Ok(self.response(
                question,
                prepared,
                Vec::new(),
                Facets::default(),
                offset,
                started,
                Some(message.to_owned()),
            ));
        }
        let mut found = self.find(&prepared, kind, offset + limit)?;
        let not_found = self.not_found(&prepared, &found.ranked);
        let mut messages = Vec::new();
        let asked_words = prepared.words.len();
        if found.facets.total == 0 && prepared.words.iter().any(QuestionWord::forgives_no_typo) {
            // "zwager" is a word, but nothing is about it: read it as a typo after all.
            for word in prepared.words.iter_mut().filter(|word| word.forgives_no_typo()) {
                word.typo_budget = concepts::typo_budget(word.folded.chars().count());
            }
            found = self.find(&prepared, kind, offset + limit)?;
        }
        if found.facets.total == 0 && prepared.words.iter().any(|word| !word.terms.parts.is_empty()) {
            // Nothing about "kraamzorg": show what is about its parts, and say so.
            prepared.words = std::mem::take(&mut prepared.words).into_iter().flat_map(QuestionWord::into_parts).collect();
            found = self.find(&prepared, kind, offset + limit)?;
        }
        if let Some(message) = not_found_message(&not_found, asked_words, found.facets.total) {
            messages.push(message);
        }
        let total = kind.map_or(found.facets.total, |kind| found.facets.kind.get(kind).copied().unwrap_or(0));
        if total == 0 && not_found.is_empty() {
            messages.push("Niets gevonden. Probeer andere of minder woorden, bijvoorbeeld een thema en een plaats.".to_owned());
        } else if total > 0 && found.nothing_local {
            messages.extend(self.locality_message(&prepared));
        }
        let results: Vec<Hit> = found
            .ranked
            .into_iter()
            .skip(offset)
            .take(limit)
            .enumerate()
            .map(|(position, ranked)| self.hit(&prepared, ranked, offset + position))
            .collect::<Result<_, _>>()?;
        let message = (!messages.is_empty()).then(|| messages.join(" "));
        let mut response = self.response(question, prepared, results, found.facets, offset, started, message);
        response.total = total;
        response.not_found = not_found;
        Ok(response)
    }

    /// Every match of the prepared question counted by facet, and the best candidates ranked.
    fn find(&self, prepared: &Prepared, kind: Option<&'static str>, wanted: usize) -> Result<Found<'_>, SearchError> {
        let fields = self.index.fields;
        let searcher = &self.searcher;
        let statistics = &self.statistics;
        let matching = self.matching(prepared);
        let boosters = self.part_boosters(prepared);
        let here = self.serves_here(prepared);
        let type_filter = kind.map(|kind| filter(term_query(fields.kind, kind)));
        let query = matching_with(&matching, &boosters, and(here.as_ref().map(|q| q.box_clone()), type_filter));
        let top = BestMatches::new(CANDIDATES.max(wanted), index::IRI_FIELD);
        // Facets count every type, also when one type is asked for: then they need a pass of their own.
        let (mut candidates, facets): (Vec<(f32, DocAddress)>, Facets) = if kind.is_none() {
            searcher.search_with_statistics_provider(&query, &(top, facets::FacetCollector), statistics)?
        } else {
            let everything = matching_with(&matching, &boosters, here.as_ref().map(|q| q.box_clone()));
            (
                searcher.search_with_statistics_provider(&query, &top, statistics)?,
                searcher.search_with_statistics_provider(&everything, &facets::FacetCollector, statistics)?,
            )
        };
        let local_matches = match self.serves_place(prepared) {
            None => Vec::new(),
            Some(local) => {
                let query = BooleanQuery::new(vec![
                    (Occur::Must, Box::new(query.clone()) as Box<dyn Query>),
                    (Occur::Must, filter(local)),
                ]);
                searcher.search_with_statistics_provider(
                    &query,
                    &BestMatches::new(LOCAL_CANDIDATES, index::IRI_FIELD),
                    statistics,
                )?
            }
        };
        let by_name = {
            let by_name = BooleanQuery::new(self.name_matching(prepared));
            let restrictions = and(here, kind.map(|kind| filter(term_query(fields.kind, kind))));
            let clauses = std::iter::once((Occur::Must, Box::new(by_name) as Box<dyn Query>))
                .chain(restrictions.map(|restriction| (Occur::Must, restriction)))
                .collect();
            searcher.search_with_statistics_provider(
                &BooleanQuery::new(clauses),
                &BestMatches::new(NAME_CANDIDATES, index::IRI_FIELD),
                statistics,
            )?
        };
        let mut known: HashSet<DocAddress> = candidates.iter().map(|(_, address)| *address).collect();
        for (score, address) in local_matches.iter().chain(&by_name) {
            if known.insert(*address) {
                candidates.push((*score, *address));
            }
        }
        let terms = self.columns.question_terms(&prepared.words, &prepared.keys, &prepared.all_terms);
        let features: Vec<(f32, Features<'_>)> =
            candidates.into_iter().map(|(bm25, address)| (bm25, self.columns.features(address, &terms))).collect();
        let words = self.typed_words(prepared, &features)?;
        let mut ranked: Vec<Ranked<'_>> = features
            .into_iter()
            .map(|(bm25, features)| {
                let segment = features.address.segment_ord as usize;
                self.rank(prepared, features, &terms[segment], &words[segment], bm25)
            })
            .collect();
        self.sort(&mut ranked);
        Ok(Found { facets, ranked, nothing_local: local_matches.is_empty() })
    }

    /// The folded words of the candidates' names that ranking compares by letters, per
    /// segment: all of them when a word of the question may carry a typo, else those of labels
    /// as long as the question (see [`is_label_of`]).
    fn typed_words(
        &self,
        prepared: &Prepared,
        features: &[(f32, Features<'_>)],
    ) -> Result<Vec<[HashMap<u64, String>; 2]>, SearchError> {
        let typos = prepared.words.iter().any(|word| word.typo_budget > 0);
        let mut wanted: Vec<[Vec<u64>; 2]> = vec![Default::default(); self.searcher.segment_readers().len()];
        for (_, features) in features {
            let segment = &mut wanted[features.address.segment_ord as usize];
            if typos || features.words[0].len() == prepared.all_terms.len() {
                segment[0].extend(&features.words[0]);
            }
            if typos {
                segment[1].extend(&features.words[1]);
            }
        }
        wanted
            .into_iter()
            .enumerate()
            .map(|(segment, [label, names])| {
                let segment = segment as u32;
                Ok([self.columns.words(segment, 0, label)?, self.columns.words(segment, 1, names)?])
            })
            .collect()
    }

    /// Orders by the rules, equal placements by IRI, so that an answer does not depend on the
    /// index's layout. Within a segment IRIs compare by ordinal; equals from several segments
    /// read their IRIs.
    fn sort(&self, ranked: &mut [Ranked<'_>]) {
        let by_rules = |a: &Ranked<'_>, b: &Ranked<'_>| self.rules.compare(&a.placement, &b.placement);
        ranked.sort_by(|a, b| {
            by_rules(a, b)
                .then_with(|| a.features.address.segment_ord.cmp(&b.features.address.segment_ord))
                .then_with(|| a.features.iri.cmp(&b.features.iri))
        });
        let mut start = 0;
        while start < ranked.len() {
            let end = start + ranked[start..].iter().take_while(|r| by_rules(r, &ranked[start]).is_eq()).count();
            let equals = &mut ranked[start..end];
            if equals.iter().any(|r| r.features.address.segment_ord != equals[0].features.address.segment_ord) {
                equals.sort_by_cached_key(|r| self.columns.iri(&r.features));
            }
            start = end;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn response(
        &self,
        question: &str,
        prepared: Prepared,
        results: Vec<Hit>,
        facets: Facets,
        offset: usize,
        started: Instant,
        message: Option<String>,
    ) -> SearchResponse {
        SearchResponse {
            query: question.to_owned(),
            understood: prepared.understood,
            not_found: Vec::new(),
            total: results.len(),
            offset,
            results,
            facets,
            message,
            took_ms: elapsed_ms(started),
        }
    }

    /// Understands the question: its place, the concepts its words name on evidence, the types
    /// it asks for, and the words left to match.
    fn prepare(&self, question: &str, analyzer: &mut TextAnalyzer) -> Prepared {
        let mut understood = self.understanding.gazetteer.understand(question);
        let literal: HashSet<String> = question
            .split('"')
            .skip(1)
            .step_by(2)
            .flat_map(|quoted| quoted.split(|c: char| !c.is_alphanumeric()).map(analysis::fold).collect::<Vec<_>>())
            .collect();
        let mut asked_types: Vec<&'static str> = Vec::new();
        let mut words: Vec<QuestionWord> = Vec::new();
        let text = understood.text.clone();
        let chunks: Vec<&str> = text.split_whitespace().collect();
        for chunk in &chunks {
            let folded = analysis::fold(chunk.trim_matches(|c: char| !c.is_alphanumeric()));
            if let Some(types) = kinds::asked_by(&folded) {
                for kind in types {
                    if !asked_types.contains(kind) {
                        asked_types.push(kind);
                    }
                }
                continue;
            }
            let terms: Vec<WordTerms> =
                analysis::word_terms(analyzer, chunk).into_iter().filter(|word| word.whole.chars().count() >= 2).collect();
            let Some(terms) = terms.into_iter().max_by_key(|word| word.whole.len()) else { continue };
            let literal = literal.contains(&folded);
            let typo_budget = if literal || concepts::is_known_word(&self.index.lexicon, &folded) {
                0
            } else {
                concepts::typo_budget(folded.chars().count())
            };
            words.push(QuestionWord {
                typed: (*chunk).to_owned(),
                folded,
                terms,
                literal,
                typo_budget,
                names: Vec::new(),
                names_typos: 0,
            });
        }
        self.recognise_concepts(&mut understood, &mut words);
        let mut reach: HashMap<String, (usize, String, Option<&'static str>)> = HashMap::new();
        let mut reach_kinds = HashMap::new();
        for concept in &understood.concepts {
            if !matches!(concept.kind, ConceptKind::Theme | ConceptKind::RiskFactor | ConceptKind::ProtectiveFactor) {
                reach.insert(concept.iri.clone(), (0, concept.iri.clone(), None));
                reach_kinds.insert(concept.iri.clone(), concept.kind);
                continue;
            }
            for reached in self.understanding.concepts.neighbourhood(&concept.iri) {
                if reach.get(&reached.concept).is_none_or(|(distance, _, _)| *distance > reached.distance) {
                    reach.insert(reached.concept, (reached.distance, reached.from, reached.relation));
                }
            }
        }
        let keys = {
            // The whole question first: `rank` tells the two apart by position.
            let mut keys = vec![name_key(question), name_key(&text)];
            keys.dedup();
            keys.retain(|key| !key.is_empty());
            keys
        };
        let place = understood
            .regions
            .first()
            .map(|region| region.index)
            .filter(|&place| self.understanding.gazetteer.places[place].kind != PlaceKind::Country);
        let mut levels = HashMap::new();
        if let Some(place) = place {
            for inside in std::iter::once(place).chain(self.understanding.gazetteer.within(place)) {
                levels.insert(self.understanding.gazetteer.places[inside].iri.clone(), 0);
            }
            for (level, covering) in self.understanding.gazetteer.covering(place).into_iter().enumerate().skip(1) {
                if self.understanding.gazetteer.places[covering].kind != PlaceKind::Country {
                    levels.entry(self.understanding.gazetteer.places[covering].iri.clone()).or_insert(level.min(7) as u8);
                }
            }
        }
        let mut all_terms: Vec<(String, usize)> = name_key(question)
            .split(' ')
            .filter(|word| !word.is_empty())
            .map(|word| (word.to_owned(), concepts::typo_budget(word.chars().count())))
            .collect();
        all_terms.sort();
        all_terms.dedup();
        Prepared { understood, words, keys, all_terms, asked_types, reach, reach_kinds, place, levels }
    }

    /// Adds the concepts the words name on evidence to what was understood, and records on each
    /// word the concepts, roles and phases it names.
    fn recognise_concepts(&self, understood: &mut Understood, words: &mut [QuestionWord]) {
        let asked: Vec<AskedWord<'_>> =
            words.iter().map(|word| AskedWord { folded: &word.folded, terms: &word.terms, literal: word.literal }).collect();
        let found = self.understanding.concept_names.recognise(&asked, &self.understanding.gazetteer, &self.index.lexicon);
        for known in &understood.concepts {
            let matched = analysis::fold(&known.matched);
            for word in words.iter_mut().filter(|word| matched.split_whitespace().any(|m| m == word.folded)) {
                word.names.push(known.iri.clone());
            }
        }
        for (concept, positions, evidence) in found {
            let concept = &self.understanding.gazetteer.concepts[concept];
            let typos = match evidence {
                Evidence::Typo(typos) => typos,
                Evidence::Name | Evidence::Part => 0,
            };
            if typos > 0 && positions.iter().any(|&p| !words[p].names.is_empty()) {
                continue;
            }
            for &position in &positions {
                if !words[position].names.contains(&concept.iri) {
                    words[position].names.push(concept.iri.clone());
                    words[position].names_typos = typos;
                }
            }
            if !understood.concepts.iter().any(|known| known.iri == concept.iri) {
                let matched = positions.iter().map(|&p| words[p].typed.as_str()).collect::<Vec<_>>().join(" ");
                understood.concepts.push(RecognisedConcept {
                    iri: concept.iri.clone(),
                    label: concept.label.clone(),
                    kind: concept.kind,
                    matched,
                });
            }
        }
    }

    /// What makes a document a match: a question word in its text (or within the typo budget of
    /// a name), a concept within reach, a name equal to the question, a place it serves when the
    /// question is only a place, or a type asked for when nothing else is.
    fn matching(&self, prepared: &Prepared) -> Vec<(Occur, Box<dyn Query>)> {
        let mut matching = self.name_matching(prepared);
        matching.extend(self.other_matching(prepared));
        matching
    }

    /// The matching clauses on names: a question word in a label or other name (or within the
    /// typo budget of one), a name equal to the question.
    fn name_matching(&self, prepared: &Prepared) -> Vec<(Occur, Box<dyn Query>)> {
        let fields = self.index.fields;
        let mut matching: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in &prepared.words {
            for field in [fields.names, fields.label] {
                matching.push((Occur::Should, boosted(term_query(field, &word.terms.whole), 3.0)));
            }
            if word.typo_budget > 0 {
                let distance = u8::try_from(word.typo_budget).unwrap_or(2);
                let fuzzy = FuzzyTermQuery::new(Term::from_field_text(fields.names_exact, &word.folded), distance, true);
                matching.push((Occur::Should, boosted(Box::new(fuzzy), 2.0)));
            }
        }
        for key in &prepared.keys {
            matching.push((Occur::Should, boosted(term_query(fields.name_keys, key), 10.0)));
        }
        matching
    }

    /// The other matching clauses: words in descriptions and linked labels, concepts within
    /// reach, and for a question without words the place it names or the types it asks for.
    fn other_matching(&self, prepared: &Prepared) -> Vec<(Occur, Box<dyn Query>)> {
        let fields = self.index.fields;
        let mut matching: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in &prepared.words {
            for (field, boost) in [(fields.description, 1.0), (fields.context, 0.7)] {
                matching.push((Occur::Should, boosted(term_query(field, &word.terms.whole), boost)));
            }
        }
        for (concept, (distance, _, _)) in &prepared.reach {
            let boost = [6.0, 3.0, 1.5][(*distance).min(2)];
            let field = match prepared.reach_kinds.get(concept) {
                Some(ConceptKind::Role) => fields.role,
                Some(ConceptKind::Phase) => fields.phase,
                _ => fields.concept,
            };
            matching.push((Occur::Should, boosted(term_query(field, concept), boost)));
        }
        if prepared.words.is_empty() && prepared.reach.is_empty() {
            if let Some(serving) = self.serves_place(prepared) {
                let serving: Box<dyn Query> = if prepared.asked_types.is_empty() {
                    serving
                } else {
                    let types = any_term(fields.kind, prepared.asked_types.iter().copied());
                    Box::new(BooleanQuery::new(vec![(Occur::Must, serving), (Occur::Must, filter(types))]))
                };
                matching.push((Occur::Should, serving));
            } else if !prepared.asked_types.is_empty() {
                matching.push((Occur::Should, any_term(fields.kind, prepared.asked_types.iter().copied())));
            }
        }
        matching
    }

    /// When the question names a place: what serves it, a place inside it or a region around it.
    fn serves_place(&self, prepared: &Prepared) -> Option<Box<dyn Query>> {
        let place = prepared.place?;
        let fields = self.index.fields;
        let inside = term_query(fields.area_within, &self.understanding.gazetteer.places[place].iri);
        let around = self
            .understanding
            .gazetteer
            .covering(place)
            .into_iter()
            .skip(1)
            .filter(|&covering| self.understanding.gazetteer.places[covering].kind != PlaceKind::Country);
        let clauses = std::iter::once(inside)
            .chain(around.map(|covering| term_query(fields.area, &self.understanding.gazetteer.places[covering].iri)))
            .map(|query| (Occur::Should, query))
            .collect();
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// When the question names a place: what serves it, a region around it or the whole country
    /// (or no place in particular), and what is named by the question wherever it serves.
    fn serves_here(&self, prepared: &Prepared) -> Option<Box<dyn Query>> {
        let local = self.serves_place(prepared)?;
        let fields = self.index.fields;
        let country =
            self.understanding.gazetteer.country().map(|country| self.understanding.gazetteer.places[country].iri.as_str());
        let clauses = std::iter::once(local)
            .chain(country.into_iter().chain([NOT_PLACE_BOUND]).map(|area| term_query(fields.area, area)))
            .chain(prepared.keys.iter().map(|key| term_query(fields.name_keys, key)))
            .map(|query| (Occur::Should, query))
            .collect();
        Some(filter(Box::new(BooleanQuery::new(clauses))))
    }

    /// Compound parts of the question's words add to a match's score but do not make one
    /// ("mondzorg" is not about all "zorg").
    fn part_boosters(&self, prepared: &Prepared) -> Vec<(Occur, Box<dyn Query>)> {
        let fields = self.index.fields;
        prepared
            .words
            .iter()
            .flat_map(|word| word.terms.parts.iter())
            .flat_map(|part| {
                [(fields.names, 0.9), (fields.label, 0.9), (fields.description, 0.3)]
                    .map(|(field, boost)| (Occur::Should, boosted(term_query(field, part), boost)))
            })
            .collect()
    }

    /// Places a candidate by every rule and says why; `terms` are the question's terms in the
    /// candidate's segment and `words` the folded words of that segment's names it may compare.
    fn rank<'c>(
        &self,
        prepared: &Prepared,
        features: Features<'c>,
        terms: &SegmentTerms,
        words: &[HashMap<u64, String>; 2],
        bm25: f32,
    ) -> Ranked<'c> {
        let candidate = &Candidate { features: &features, terms, words };
        let mut placement = Placement::new(bm25);
        let mut reasons = Vec::new();
        let mut named = false;
        let mut matched_words = Vec::new();
        let mut named_words = Vec::new();
        let key = candidate.terms.keys.iter().position(|(name, _)| name.is_some_and(|ord| features.name_keys.contains(&ord)));
        if let Some(position) = key {
            let bound_to_a_place = !features.areas.is_empty();
            let is_label = candidate.terms.keys[position].1.is_some_and(|ord| features.label_keys.contains(&ord));
            placement.exactness = match (position, is_label) {
                (0, true) => Exactness::Label,
                (0, false) => Exactness::OtherName,
                // "prenataal huisbezoek Amsterdam" asks for the local offer more than the programme.
                _ if bound_to_a_place => Exactness::NamedBesidesPlace,
                _ => Exactness::None,
            };
            named = placement.exactness != Exactness::None;
        }
        let mut matched_by: Vec<(Attribute, String)> = Vec::new();
        let mut typos = Vec::new();
        for (position, word) in prepared.words.iter().enumerate() {
            match self.match_word(word, &candidate.terms.words[position], candidate) {
                Some(WordMatch { attribute, typo, split, shown }) => {
                    placement.attribute += attribute as usize;
                    // A word only in a description is weak evidence: it ranks by attribute.
                    placement.words_missed += usize::from(attribute == Attribute::Description);
                    placement.typos += usize::from(split);
                    if matches!(attribute, Attribute::Label | Attribute::OtherName | Attribute::Concept) {
                        named_words.push(position);
                    }
                    matched_words.push(position);
                    if let Some((distance, read_as)) = typo {
                        placement.typos += distance;
                        typos.push(Reason::Typo { typed: word.typed.clone(), read_as });
                    } else if attribute != Attribute::Concept {
                        matched_by.push((attribute, shown.unwrap_or_else(|| word.typed.clone())));
                    }
                }
                None => {
                    placement.words_missed += 1;
                    placement.attribute += Attribute::Description as usize + 1;
                }
            }
        }
        if placement.exactness > Exactness::LabelWords && is_label_of(prepared, candidate) {
            placement.exactness = Exactness::LabelWords;
        }
        if !matches!(placement.exactness, Exactness::Label | Exactness::OtherName) {
            for attribute in [Attribute::Label, Attribute::OtherName, Attribute::Linked, Attribute::Description] {
                let words: Vec<String> =
                    matched_by.iter().filter(|(a, _)| *a == attribute).map(|(_, word)| word.clone()).collect();
                if !words.is_empty() {
                    reasons.push(Reason::Words { words, attribute });
                }
            }
        }
        reasons.extend(typos);
        if let Some((distance, tag)) =
            features.tags.iter().filter_map(|tag| prepared.reach.get(*tag).map(|(d, _, _)| (*d, *tag))).min_by_key(|(d, _)| *d)
        {
            placement.concept_distance = distance;
            let (_, from, relation) = &prepared.reach[tag];
            reasons.push(if distance == 0 {
                Reason::About { concept: self.label(tag).to_lowercase() }
            } else {
                Reason::NearConcept {
                    concept: self.label(tag).to_lowercase(),
                    relation: relation.unwrap_or("verwant").to_owned(),
                    asked: self.label(from).to_lowercase(),
                }
            });
        }
        if !prepared.asked_types.is_empty() {
            if prepared.asked_types.contains(&features.kind) {
                reasons.push(Reason::AskedType { kind: crate::rdf::kinds::dutch_name(features.kind).to_owned() });
            } else {
                placement.type_missed = 1;
            }
        }
        let (locality, reason) = self.locality(prepared, &features.areas);
        placement.locality = locality;
        reasons.extend(reason);
        Ranked { placement, named, reasons, features, matched_words, named_words }
    }

    /// Where a word matches a document best, and the typo forgiven if any.
    fn match_word(&self, word: &QuestionWord, ords: &features::WordOrds, candidate: &Candidate<'_, '_>) -> Option<WordMatch> {
        let features = candidate.features;
        let attributes = [Attribute::Label, Attribute::OtherName, Attribute::Linked, Attribute::Description];
        let names_a_tag = word.names.iter().any(|name| features.tags.iter().any(|tag| tag == name));
        let as_part = |attribute: Attribute| {
            features.has(attribute, &ords.as_part) || ords.parts.iter().any(|part| features.has(attribute, part))
        };
        let exact = attributes.into_iter().find(|&attribute| features.has(attribute, &ords.whole));
        let best = match exact {
            Some(attribute @ (Attribute::Label | Attribute::OtherName)) => Some(attribute),
            _ if names_a_tag && word.names_typos > 0 => {
                let read_as = word
                    .names
                    .iter()
                    .find(|name| features.tags.iter().any(|tag| tag == name))
                    .map_or(word.terms.whole.as_str(), |name| self.label(name));
                let typo = Some((word.names_typos, read_as.to_lowercase()));
                return Some(WordMatch { attribute: Attribute::Concept, typo, split: false, shown: None });
            }
            _ if names_a_tag => Some(Attribute::Concept),
            found => found.or_else(|| attributes.into_iter().find(|&attribute| as_part(attribute))),
        };
        if let Some(attribute) = best {
            let split = exact.is_none() && !names_a_tag;
            // A part of the question's word matched ("zwangerschap" of "tienerzwangerschap"): say which.
            let shown = (split && !features.has(attribute, &ords.as_part))
                .then(|| {
                    ords.parts
                        .iter()
                        .zip(&word.terms.part_texts)
                        .find(|(part, _)| features.has(attribute, part))
                        .map(|(_, text)| text.clone())
                })
                .flatten();
            return Some(WordMatch { attribute, typo: None, split, shown });
        }
        if word.typo_budget == 0 {
            return None;
        }
        [Attribute::Label, Attribute::OtherName]
            .into_iter()
            .zip(&features.words)
            .zip(candidate.words)
            .flat_map(|((attribute, ords), words)| ords.iter().filter_map(move |ord| Some((attribute, words.get(ord)?.as_str()))))
            .filter_map(|(attribute, typed)| {
                let distance = osa::distance(word.folded.chars(), typed.chars());
                (distance > 0 && distance <= word.typo_budget).then_some((distance, attribute, typed))
            })
            .min_by_key(|(distance, attribute, _)| (*distance, *attribute))
            .map(|(distance, attribute, typed)| WordMatch {
                attribute,
                typo: Some((distance, typed.to_owned())),
                split: false,
                shown: None,
            })
    }

    /// The locality rank of a document serving `areas`, and the reason saying so.
    fn locality(&self, prepared: &Prepared, areas: &[&str]) -> (u8, Option<Reason>) {
        let country =
            self.understanding.gazetteer.country().map(|country| self.understanding.gazetteer.places[country].iri.as_str());
        let national = areas.is_empty() || areas.iter().any(|area| Some(*area) == country);
        let Some(place) = prepared.place else {
            return if national {
                (0, (!areas.is_empty()).then_some(Reason::National))
            } else {
                (1, Some(Reason::Local { areas: self.place_names(areas) }))
            };
        };
        let asked = self.place_name(place);
        let nearest = areas.iter().filter_map(|area| prepared.levels.get(*area).map(|level| (*level, *area))).min();
        match nearest {
            Some((0, area)) => (0, Some(Reason::ServesPlace { area: self.place_name_of(area), place: asked })),
            Some((level, area)) => (level, Some(Reason::ServesRegion { area: self.place_name_of(area), place: asked })),
            None if national => (NATIONAL, (!areas.is_empty()).then_some(Reason::National)),
            None => (ELSEWHERE, Some(Reason::ServesElsewhere { areas: self.place_names(areas) })),
        }
    }

    fn place_name(&self, place: usize) -> PlaceName {
        let place = &self.understanding.gazetteer.places[place];
        PlaceName { iri: place.iri.clone(), label: place.label.clone(), kind: place.kind }
    }

    fn place_name_of(&self, iri: &str) -> PlaceName {
        match self.understanding.gazetteer.place_by_iri(iri) {
            Some(place) => self.place_name(place),
            None => PlaceName { iri: iri.to_owned(), label: iri.to_owned(), kind: PlaceKind::Country },
        }
    }

    fn place_names(&self, areas: &[&str]) -> Vec<PlaceName> {
        areas.iter().map(|area| self.place_name_of(area)).collect()
    }

    /// Question words that no candidate is named or tagged with.
    fn not_found(&self, prepared: &Prepared, ranked: &[Ranked<'_>]) -> Vec<String> {
        let named: HashSet<usize> = ranked.iter().flat_map(|ranked| ranked.named_words.iter().copied()).collect();
        prepared
            .words
            .iter()
            .enumerate()
            .filter(|(position, word)| !named.contains(position) && word.names.is_empty())
            .map(|(_, word)| word.typed.clone())
            .collect()
    }

    /// Says that nothing serves the named place or the regions around it.
    fn locality_message(&self, prepared: &Prepared) -> Option<String> {
        let place = self.place_name(prepared.place?);
        Some(format!("Geen lokaal aanbod gevonden voor {place}; hieronder landelijke mogelijkheden en kennis."))
    }

    /// A ranked candidate as a result: its stored document read for what is shown.
    fn hit(&self, prepared: &Prepared, ranked: Ranked<'_>, rank: usize) -> Result<Hit, SearchError> {
        let fields = self.index.fields;
        let document: TantivyDocument = self.searcher.doc(ranked.features.address)?;
        let text = |field: Field| document.get_first(field).and_then(|v| v.as_str()).unwrap_or_default();
        let mut reasons = ranked.reasons;
        if ranked.named {
            reasons.insert(0, Reason::Named { name: text(fields.label).to_owned() });
        }
        let mut marked: HashSet<String> = ranked
            .matched_words
            .iter()
            .flat_map(|&position| {
                let terms = &prepared.words[position].terms;
                std::iter::once(terms.whole.clone()).chain(terms.parts.iter().cloned())
            })
            .collect();
        marked.extend(reasons.iter().filter_map(|reason| match reason {
            Reason::Typo { read_as, .. } => Some(read_as.clone()),
            _ => None,
        }));
        let snippet = snippet::snippet(text(fields.description), text(fields.description_analysed), &marked);
        Ok(Hit {
            iri: text(fields.iri).to_owned(),
            label: text(fields.label).to_owned(),
            kind: text(fields.kind).to_owned(),
            score: 1.0 / (rank as f32 + 1.0),
            why: reasons.iter().map(ToString::to_string).collect(),
            reasons,
            snippet: snippet.text,
            marks: snippet.marks,
            contact: document
                .get_first(fields.contact)
                .and_then(|v| v.as_str())
                .and_then(|json| serde_json::from_str(json).ok())
                .unwrap_or_default(),
        })
    }
}

/// How a word matched a document.
struct WordMatch {
    attribute: Attribute,
    /// The typos forgiven and the term read instead.
    typo: Option<(usize, String)>,
    /// Matched as a compound part, which counts as one typo (as a split word does in Meilisearch).
    split: bool,
    /// The part of the word that matched, when only a part did.
    shown: Option<String>,
}

/// Whether the label's words are the question's words, each within its typo budget.
fn is_label_of(prepared: &Prepared, candidate: &Candidate<'_, '_>) -> bool {
    let label = &candidate.features.words[0];
    let asked = &prepared.all_terms;
    label.len() == asked.len()
        && label.iter().all(|ord| {
            candidate.terms.asked_words.contains(&Some(*ord))
                || candidate.words[0].get(ord).is_some_and(|typed| {
                    asked.iter().any(|(word, budget)| *budget > 0 && osa::distance(word.chars(), typed.chars()) <= *budget)
                })
        })
}

/// Says which words of the question the graph has nothing about, and what is shown instead.
fn not_found_message(not_found: &[String], words: usize, total: usize) -> Option<String> {
    if not_found.is_empty() {
        return None;
    }
    let quoted = not_found.iter().map(|word| format!("‘{word}’")).collect::<Vec<_>>().join(", ");
    Some(if total == 0 {
        format!("Over {quoted} heeft kansrijk geen onderwerp en niets gevonden. Probeer andere of minder woorden.")
    } else if not_found.len() >= words {
        format!("Over {quoted} heeft kansrijk geen onderwerp; hieronder wat er het dichtst bij ligt.")
    } else {
        format!("Over {quoted} heeft kansrijk geen onderwerp; hieronder wat past bij de rest van de vraag.")
    })
}

/// The matches of a question: counted, and the best ranked.
struct Found<'c> {
    facets: Facets,
    ranked: Vec<Ranked<'c>>,
    /// Nothing serves the named place or a region around it.
    nothing_local: bool,
}

/// The matching clauses as one query, with the boosters, and a filter if any.
fn matching_with(
    matching: &[(Occur, Box<dyn Query>)],
    boosters: &[(Occur, Box<dyn Query>)],
    filter: Option<Box<dyn Query>>,
) -> BooleanQuery {
    let clone = |clauses: &[(Occur, Box<dyn Query>)]| clauses.iter().map(|(occur, query)| (*occur, query.box_clone())).collect();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = clone(boosters);
    clauses.push((Occur::Must, Box::new(BooleanQuery::new(clone(matching)))));
    clauses.extend(filter.map(|filter| (Occur::Must, filter)));
    BooleanQuery::new(clauses)
}

/// Both restrictions, either, or none.
fn and(a: Option<Box<dyn Query>>, b: Option<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(Box::new(BooleanQuery::new(vec![(Occur::Must, a), (Occur::Must, b)]))),
        (a, b) => a.or(b),
    }
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

fn any_term<'a>(field: Field, values: impl Iterator<Item = &'a str>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(values.map(|value| (Occur::Should, term_query(field, value))).collect()))
}

/// A query that restricts without scoring.
fn filter(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}
