//! Search: a question becomes places and concepts (see [`crate::question`]) plus words, and the
//! answer is the index's documents that match the words or the concepts (directly or through
//! broader, narrower and related concepts) and whose area covers the place. Results rank by text
//! relevance, concept closeness and how local they are, and each says in Dutch why it was chosen.

use std::collections::{BTreeSet, HashMap};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use lru::LruCache;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{TantivyDocument, Term};

use crate::analysis;
use crate::index::{IndexError, SearchIndex, NOT_PLACE_BOUND};
use crate::question::{ConceptKind, Gazetteer, PlaceKind, Understood};
use crate::store::{KnowledgeStore, StoreError};

/// Answers kept for repeated questions.
const ANSWER_CACHE_SIZE: NonZeroUsize = NonZeroUsize::new(4096).expect("non-zero");
/// Results per request at most.
pub const MAX_LIMIT: usize = 100;
/// How far (in concept links) a recognised concept spreads.
const MAX_CONCEPT_DISTANCE: usize = 2;
const SNIPPET_CHARS: usize = 180;
/// Score added to a result whose area covers the named place, divided by how far up it is.
const LOCALITY_BOOST: f32 = 40.0;
/// Score added to a result of a type the question asks for ("aanbod", "cijfers").
const TYPE_BOOST: f32 = 15.0;
/// Weight of a compound's parts against the whole word.
const PART_WEIGHT: f32 = 0.3;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("search: reading the store: {0}")]
    Store(#[from] StoreError),
    #[error("search failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("onbekend type {0:?}; kies uit: {1}")]
    UnknownType(String, String),
}

/// Dutch names of the result types, as accepted by `type=`.
const TYPES: [(&str, &str); 15] = [
    ("Theme", "thema"),
    ("RiskFactor", "risicofactor"),
    ("ProtectiveFactor", "beschermende-factor"),
    ("Programme", "programma"),
    ("Tool", "instrument"),
    ("Guideline", "richtlijn"),
    ("Document", "document"),
    ("ELearning", "e-learning"),
    ("Training", "scholing"),
    ("Video", "video"),
    ("Podcast", "podcast"),
    ("Organisation", "organisatie"),
    ("Offer", "aanbod"),
    ("Figure", "cijfer"),
    ("PracticeExample", "praktijkvoorbeeld"),
];

/// Words in a question that ask for a kind of result, and the types they favour.
const TYPE_WORDS: [(&str, &[&str]); 12] = [
    ("aanbod", &["Offer", "Programme", "Tool"]),
    ("hulp", &["Offer", "Programme", "Tool"]),
    ("ondersteuning", &["Offer", "Programme", "Tool"]),
    ("verwijzen", &["Offer", "Programme", "Organisation"]),
    ("tool", &["Tool"]),
    ("instrument", &["Tool"]),
    ("cijfers", &["Figure"]),
    ("richtlijn", &["Guideline"]),
    ("standaard", &["Guideline"]),
    ("scholing", &["Training", "ELearning"]),
    ("cursus", &["Training", "ELearning"]),
    ("podcast", &["Podcast"]),
];

fn elapsed_ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

/// The Dutch name of a result type (`Offer` → `aanbod`), as `type=` accepts it.
pub fn dutch_type(class: &str) -> Option<&'static str> {
    TYPES.iter().find(|(name, _)| *name == class).map(|(_, dutch)| *dutch)
}

/// Resolves a `type=` value (class name or its Dutch name, any case) to the class name.
pub fn resolve_type(name: &str) -> Result<&'static str, SearchError> {
    let folded = analysis::fold(name);
    TYPES
        .iter()
        .find(|(class, dutch)| class.to_lowercase() == folded || *dutch == folded)
        .map(|(class, _)| *class)
        .ok_or_else(|| {
            SearchError::UnknownType(name.to_owned(), TYPES.iter().map(|(_, dutch)| *dutch).collect::<Vec<_>>().join(", "))
        })
}

#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    pub iri: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub score: f32,
    pub why: Vec<String>,
    pub snippet: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SearchResponse {
    pub query: String,
    pub understood: Understood,
    pub results: Vec<Hit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Last, so that a cached answer's JSON can be reused with a new figure (see `CachedAnswer`).
    pub took_ms: f64,
}

/// Recent answers by question, limit and type.
type AnswerCache = LruCache<(String, usize, Option<&'static str>), Arc<CachedAnswer>>;

/// An answer kept for repeated questions, with its JSON written once: repeated questions are
/// the common case (many GPs ask the same things), and serializing is most of their cost.
#[derive(Debug)]
struct CachedAnswer {
    response: SearchResponse,
    /// The JSON of `response` up to the value of `took_ms`, the last field.
    json_before_took: String,
}

impl CachedAnswer {
    /// `None` when the JSON does not end as expected; the answer is then not cached.
    fn new(response: SearchResponse) -> Option<Self> {
        const TOOK_PLACEHOLDER: &str = "0.0}";
        let json = serde_json::to_string(&SearchResponse { took_ms: 0.0, ..response.clone() }).ok()?;
        let json_before_took = json.strip_suffix(TOOK_PLACEHOLDER)?.to_owned();
        Some(Self { response, json_before_took })
    }

    fn json(&self, took_ms: f64) -> String {
        format!("{}{took_ms}}}", self.json_before_took)
    }
}

/// Links between concepts (broader, narrower, related, theme → factor), both ways.
#[derive(Debug, Default)]
struct ConceptGraph {
    edges: HashMap<String, Vec<(String, &'static str)>>,
}

impl ConceptGraph {
    fn from_store(store: &KnowledgeStore) -> Result<Self, StoreError> {
        let mut graph = Self::default();
        for (predicate, forward, backward) in [
            ("skos:broader", "breder", "smaller"),
            ("skos:related", "verwant", "verwant"),
            ("kr:riskFactor", "risicofactor", "risicofactor bij"),
            ("kr:protectiveFactor", "beschermende factor", "beschermende factor bij"),
        ] {
            for row in store.select(&format!("SELECT ?a ?b WHERE {{ ?a {predicate} ?b }}"))? {
                let [Some(a), Some(b)] = &row[..] else { continue };
                graph.edges.entry(a.clone()).or_default().push((b.clone(), forward));
                graph.edges.entry(b.clone()).or_default().push((a.clone(), backward));
            }
        }
        Ok(graph)
    }

    /// Concepts within [`MAX_CONCEPT_DISTANCE`] of `start` (itself included), nearest first.
    fn neighbourhood(&self, start: &str) -> Vec<Reached> {
        let mut seen = vec![Reached { concept: start.to_owned(), distance: 0, path: Vec::new() }];
        let mut next = 0;
        while next < seen.len() {
            let at = seen[next].clone();
            next += 1;
            if at.distance == MAX_CONCEPT_DISTANCE {
                continue;
            }
            for (neighbour, relation) in self.edges.get(&at.concept).into_iter().flatten() {
                if seen.iter().all(|known| &known.concept != neighbour) {
                    let mut path = at.path.clone();
                    path.push((neighbour.clone(), *relation));
                    seen.push(Reached { concept: neighbour.clone(), distance: at.distance + 1, path });
                }
            }
        }
        seen
    }
}

/// A concept found from a starting concept, and the links (target, relation) that lead to it.
#[derive(Debug, Clone)]
struct Reached {
    concept: String,
    distance: usize,
    path: Vec<(String, &'static str)>,
}

/// The named place, the places it lies in (nearest first) and the places inside it.
struct Places<'a> {
    covering: &'a [usize],
    within: &'a [usize],
}

/// A concept the answer may be about, with how it was reached.
#[derive(Debug, Clone)]
struct ConceptReach {
    distance: usize,
    /// Dutch description of the path, "tienerzwangerschap → kwetsbare situatie (breder)".
    path: String,
}

/// Everything needed to answer questions: the index, the gazetteer and the concept links.
pub struct SearchEngine {
    pub index: SearchIndex,
    pub gazetteer: Gazetteer,
    concepts: ConceptGraph,
    labels: HashMap<String, String>,
    analyzer: TextAnalyzer,
    /// Recent answers by (question, limit, type). The engine answers from one index state,
    /// so an answer stays right for the engine's lifetime.
    answers: Mutex<AnswerCache>,
}

impl SearchEngine {
    pub fn new(index: SearchIndex, store: &KnowledgeStore) -> Result<Self, SearchError> {
        let gazetteer = Gazetteer::from_store(store, &index.lexicon)?;
        let concepts = ConceptGraph::from_store(store)?;
        let labels = gazetteer.concepts.iter().map(|c| (c.iri.clone(), c.label.clone())).collect();
        let analyzer = analysis::dutch_analyzer(Arc::clone(&index.lexicon));
        let answers = Mutex::new(LruCache::new(ANSWER_CACHE_SIZE));
        Ok(Self { index, gazetteer, concepts, labels, analyzer, answers })
    }

    fn label<'a>(&'a self, iri: &'a str) -> &'a str {
        self.labels.get(iri).map_or(iri, String::as_str)
    }

    /// Answers `question` with at most `limit` results, optionally of one type.
    pub fn search(&self, question: &str, limit: usize, kind: Option<&str>) -> Result<SearchResponse, SearchError> {
        if let Some(known) = self.recall(question, limit, kind) {
            return Ok(known);
        }
        let started = Instant::now();
        let kind = kind.map(resolve_type).transpose()?;
        let limit = limit.clamp(1, MAX_LIMIT);
        let answer = self.answer(question, limit, kind, started)?;
        if let Some(cached) = CachedAnswer::new(answer.clone()) {
            self.cached_answers().put((question.to_owned(), limit, kind), Arc::new(cached));
        }
        Ok(answer)
    }

    /// The answer given recently to the same question, if it is still in the cache: cheap
    /// enough to call on an async thread before handing the search to a blocking one.
    pub fn recall(&self, question: &str, limit: usize, kind: Option<&str>) -> Option<SearchResponse> {
        let started = Instant::now();
        let mut answer = self.recall_cached(question, limit, kind)?.response.clone();
        answer.took_ms = elapsed_ms(started);
        Some(answer)
    }

    /// Like [`Self::recall`], as the answer's JSON.
    pub fn recall_json(&self, question: &str, limit: usize, kind: Option<&str>) -> Option<String> {
        let started = Instant::now();
        let cached = self.recall_cached(question, limit, kind)?;
        Some(cached.json(elapsed_ms(started)))
    }

    fn recall_cached(&self, question: &str, limit: usize, kind: Option<&str>) -> Option<Arc<CachedAnswer>> {
        let kind = kind.map(resolve_type).transpose().ok()?;
        let key = (question.to_owned(), limit.clamp(1, MAX_LIMIT), kind);
        self.cached_answers().get(&key).cloned()
    }

    /// Answers without looking at or filling the cache of recent answers (for benchmarks).
    pub fn search_uncached(&self, question: &str, limit: usize, kind: Option<&str>) -> Result<SearchResponse, SearchError> {
        let started = Instant::now();
        let kind = kind.map(resolve_type).transpose()?;
        self.answer(question, limit.clamp(1, MAX_LIMIT), kind, started)
    }

    fn cached_answers(&self) -> std::sync::MutexGuard<'_, AnswerCache> {
        // A panic while holding the lock leaves only a cache behind: keep using it.
        self.answers.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn answer(
        &self,
        question: &str,
        limit: usize,
        kind: Option<&'static str>,
        started: Instant,
    ) -> Result<SearchResponse, SearchError> {
        let understood = self.gazetteer.understand(question);
        let fields = self.index.fields;
        let mut analyzer = self.analyzer.clone();
        // Words that ask for a kind of result ("aanbod") steer the type, not the text match.
        let is_type_word = |word: &str| TYPE_WORDS.iter().any(|(type_word, _)| analysis::fold(word) == *type_word);
        let mut question_words: Vec<(String, Vec<String>)> = understood
            .text
            .split_whitespace()
            .map(|word| (word.to_owned(), analysis::terms(&mut analyzer, word)))
            .filter(|(_, terms)| !terms.is_empty())
            .collect();
        if question_words.iter().any(|(word, _)| !is_type_word(word)) {
            question_words.retain(|(word, _)| !is_type_word(word));
        }
        let words: Vec<String> = question_words.iter().flat_map(|(_, terms)| terms.clone()).collect();
        let mut reach = self.concept_reach(&understood);
        if reach.is_empty() && !words.is_empty() {
            reach = self.implied_concepts(&words)?;
        }
        if words.is_empty() && reach.is_empty() && understood.regions.is_empty() {
            let message = "Geef een zoekvraag op, bijvoorbeeld: aanbod voor tienerzwangerschap in Aalsmeer.".to_owned();
            return Ok(self.response(question, understood, Vec::new(), started, Some(message)));
        }

        let mut matching: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // The first term of a word is the word itself; the others are its compound parts, which
        // add to the score of a match but do not make one ("mondzorg" is not about all "zorg").
        let mut boosters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (_, terms) in &question_words {
            for (position, term) in terms.iter().enumerate() {
                let target = if position == 0 { &mut matching } else { &mut boosters };
                let weight = if position == 0 { 1.0 } else { PART_WEIGHT };
                for (field, boost) in [(fields.names, 3.0), (fields.label, 2.0), (fields.description, 1.0), (fields.context, 0.7)] {
                    target.push((Occur::Should, boosted(term_query(field, term), boost * weight)));
                }
                let distance = match term.len() {
                    0..=4 => 0,
                    5..=7 => 1,
                    _ => 2,
                };
                if distance > 0 && position == 0 {
                    let fuzzy = FuzzyTermQuery::new(Term::from_field_text(fields.names, term), distance, true);
                    matching.push((Occur::Should, boosted(Box::new(fuzzy), 0.8)));
                }
            }
        }
        for (concept, reached) in &reach {
            let boost = [6.0, 3.0, 1.5][reached.distance.min(2)];
            matching.push((Occur::Should, boosted(term_query(fields.concept, concept), boost)));
        }
        for concept in &understood.concepts {
            let field = match concept.kind {
                ConceptKind::Role => fields.role,
                ConceptKind::Phase => fields.phase,
                _ => continue,
            };
            matching.push((Occur::Should, boosted(term_query(field, &concept.iri), 2.0)));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = boosters;
        let folded_text = analysis::fold(&understood.text);
        for (word, types) in TYPE_WORDS {
            if folded_text.split_whitespace().any(|w| w == word) {
                for kind in types {
                    clauses.push((Occur::Should, Box::new(ConstScoreQuery::new(term_query(fields.kind, kind), TYPE_BOOST))));
                }
            }
        }
        if !matching.is_empty() {
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(matching))));
        }
        // Without a place (or with the whole country) only what is not bound to a place or serves
        // the whole country answers: an offer in some other town is no answer.
        let region = understood.regions.first().map(|region| region.index);
        let national = region.is_none_or(|place| self.gazetteer.places[place].kind == PlaceKind::Country);
        let covering = match region {
            Some(place) if !national => self.gazetteer.covering(place),
            _ => self.gazetteer.country().into_iter().collect(),
        };
        let within = match region {
            Some(place) if !national => self.gazetteer.within(place),
            _ => Vec::new(),
        };
        let mut allowed: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, term_query(fields.area, NOT_PLACE_BOUND))];
        let levels = covering
            .iter()
            .enumerate()
            .map(|(level, &place)| (place, LOCALITY_BOOST / (level as f32 + 1.0)))
            .chain(within.iter().map(|&place| (place, LOCALITY_BOOST / 2.0)));
        for (place, locality) in levels {
            let iri = &self.gazetteer.places[place].iri;
            allowed.push((Occur::Should, term_query(fields.area, iri)));
            if !national {
                clauses.push((Occur::Should, Box::new(ConstScoreQuery::new(term_query(fields.area, iri), locality))));
            }
        }
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(allowed)), 0.0))));
        let covering = if national { Vec::new() } else { covering };
        if let Some(kind) = kind {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(term_query(fields.kind, kind), 0.0))));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.index.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let text_query = BooleanQuery::new(
            words.iter().map(|word| (Occur::Should, term_query(fields.description, word))).collect(),
        );
        let mut snippets = SnippetGenerator::create(&searcher, &text_query, fields.description)?;
        snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut results = Vec::with_capacity(top.len());
        for (score, address) in top {
            let document: TantivyDocument = searcher.doc(address)?;
            let places = Places { covering: &covering, within: &within };
            results.push(self.hit(&document, score, &question_words, &reach, &places, &mut analyzer, &snippets));
        }
        let message = if results.is_empty() {
            Some("Niets gevonden. Probeer andere of minder woorden, bijvoorbeeld een thema en een plaats.".to_owned())
        } else {
            self.locality_message(&understood, &covering, &results)
        };
        Ok(self.response(question, understood, results, started, message))
    }

    fn response(
        &self,
        question: &str,
        understood: Understood,
        results: Vec<Hit>,
        started: Instant,
        message: Option<String>,
    ) -> SearchResponse {
        SearchResponse {
            query: question.to_owned(),
            understood,
            results,
            took_ms: elapsed_ms(started),
            message,
        }
    }

    /// Recognised themes and factors, and the concepts within reach of them.
    fn concept_reach(&self, understood: &Understood) -> HashMap<String, ConceptReach> {
        let mut reach: HashMap<String, ConceptReach> = HashMap::new();
        let starts = understood
            .concepts
            .iter()
            .filter(|c| matches!(c.kind, ConceptKind::Theme | ConceptKind::RiskFactor | ConceptKind::ProtectiveFactor));
        for start in starts {
            self.spread(&start.iri, self.label(&start.iri).to_lowercase(), &mut reach);
        }
        reach
    }

    /// Adds the neighbourhood of `start` to `reach`, keeping the shortest way to each concept.
    fn spread(&self, start: &str, start_name: String, reach: &mut HashMap<String, ConceptReach>) {
        for reached in self.concepts.neighbourhood(start) {
            let path = std::iter::once(start_name.clone())
                .chain(reached.path.iter().map(|(iri, relation)| format!("{} ({relation})", self.label(iri).to_lowercase())))
                .collect::<Vec<_>>()
                .join(" → ");
            if reach.get(&reached.concept).is_none_or(|known| known.distance > reached.distance) {
                reach.insert(reached.concept, ConceptReach { distance: reached.distance, path });
            }
        }
    }

    /// When the question names no concept by its label (a typo, other wording), the concept
    /// whose document best matches the words stands in for it.
    fn implied_concepts(&self, words: &[String]) -> Result<HashMap<String, ConceptReach>, SearchError> {
        let fields = self.index.fields;
        let mut matching: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in words {
            matching.push((Occur::Should, term_query(fields.names, word)));
            if word.len() >= 5 {
                let distance = if word.len() >= 8 { 2 } else { 1 };
                matching.push((Occur::Should, Box::new(FuzzyTermQuery::new(Term::from_field_text(fields.names, word), distance, true))));
            }
        }
        let kinds = ["Theme", "RiskFactor", "ProtectiveFactor"]
            .into_iter()
            .map(|kind| (Occur::Should, term_query(fields.kind, kind)))
            .collect();
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(BooleanQuery::new(matching)) as Box<dyn Query>),
            (Occur::Must, Box::new(BooleanQuery::new(kinds))),
        ]);
        let searcher = self.index.reader.searcher();
        let mut reach = HashMap::new();
        if let Some((_, address)) = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?.into_iter().next() {
            let document: TantivyDocument = searcher.doc(address)?;
            if let Some(iri) = document.get_first(fields.iri).and_then(|v| v.as_str()) {
                self.spread(iri, format!("{} (lijkt op de vraag)", self.label(iri).to_lowercase()), &mut reach);
            }
        }
        Ok(reach)
    }

    #[allow(clippy::too_many_arguments)]
    fn hit(
        &self,
        document: &TantivyDocument,
        score: f32,
        words: &[(String, Vec<String>)],
        reach: &HashMap<String, ConceptReach>,
        places: &Places<'_>,
        analyzer: &mut TextAnalyzer,
        snippets: &SnippetGenerator,
    ) -> Hit {
        let fields = self.index.fields;
        let text = |field: Field| document.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        let all = |field: Field| document.get_all(field).filter_map(|v| v.as_str().map(str::to_owned)).collect::<Vec<_>>();
        let label = text(fields.label);
        let description = text(fields.description);
        let mut why = Vec::new();
        let own_terms: BTreeSet<String> =
            analysis::terms(analyzer, &format!("{label} {description}")).into_iter().collect();
        let matched: Vec<&str> = words
            .iter()
            .filter(|(_, terms)| terms.iter().any(|term| own_terms.contains(term)))
            .map(|(word, _)| word.as_str())
            .collect();
        if !matched.is_empty() {
            why.push(format!("woorden: {}", matched.join(", ")));
        }
        if let Some(closest) = all(fields.concept).iter().filter_map(|c| reach.get(c)).min_by_key(|r| r.distance) {
            why.push(if closest.distance == 0 {
                format!("thema: {}", closest.path)
            } else {
                format!("via thema: {}", closest.path)
            });
        }
        let areas = all(fields.area);
        let covering = places.covering;
        let inside = places.within.iter().find(|&&place| areas.contains(&self.gazetteer.places[place].iri));
        if let (Some(&place), Some(&region)) = (inside, covering.first()) {
            let (place, region) = (&self.gazetteer.places[place], &self.gazetteer.places[region]);
            why.push(format!("werkgebied: {} {} (in {} {})", place.kind.dutch(), place.label, region.kind.dutch(), region.label));
        } else if let Some(level) = covering.iter().position(|&place| areas.contains(&self.gazetteer.places[place].iri)) {
            let path = covering[..=level].iter().map(|&p| self.gazetteer.places[p].label.as_str()).collect::<Vec<_>>().join(" → ");
            why.push(match self.gazetteer.places[covering[level]].kind {
                PlaceKind::Country => format!("landelijk beschikbaar ({path})"),
                _ => format!("werkgebied: {path}"),
            });
        }
        if why.is_empty() {
            why.push("lijkt op de zoekwoorden".to_owned());
        }
        let snippet = snippets.snippet_from_doc(document);
        let snippet = if snippet.fragment().is_empty() {
            description.chars().take(SNIPPET_CHARS).collect()
        } else {
            snippet.fragment().to_owned()
        };
        Hit { iri: text(fields.iri), label, kind: text(fields.kind), score, why, snippet }
    }

    /// Says so when a place was named but nothing serves it locally.
    fn locality_message(&self, understood: &Understood, covering: &[usize], results: &[Hit]) -> Option<String> {
        let region = understood.regions.first()?;
        let local: Vec<&String> = covering
            .iter()
            .filter(|&&p| self.gazetteer.places[p].kind != PlaceKind::Country)
            .map(|&p| &self.gazetteer.places[p].iri)
            .collect();
        let any_local = results.iter().any(|hit| hit.why.iter().any(|w| w.starts_with("werkgebied")));
        (!any_local && !local.is_empty()).then(|| {
            let place = if region.kind == PlaceKind::Postcode {
                region.label.clone()
            } else {
                format!("{} {}", region.kind.dutch(), region.label)
            };
            format!("Geen lokaal aanbod gevonden voor {place}; hieronder landelijke mogelijkheden en kennis.")
        })
    }
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}
