//! The concept graph (broader, narrower, related, theme → factor, both ways) and recognising
//! concepts in a question on evidence: a question word equal to one of a concept's names, the
//! same after stemming, naming it as a compound part, or within the typo distance of it. Never
//! by resemblance an answer could not show.

use std::collections::HashMap;

use rapidfuzz::distance::osa;
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::{self, Lexicon, WordTerms};
use crate::search::question::{ConceptKind, Gazetteer};
use crate::store::{StoreError, StoreView};

/// How far (in concept links) a recognised concept spreads.
pub(super) const MAX_CONCEPT_DISTANCE: usize = 2;

/// Links between concepts, both ways, with the Dutch name of each direction.
#[derive(Debug, Default, Clone)]
pub(super) struct ConceptGraph {
    edges: HashMap<String, Vec<(String, &'static str)>>,
}

/// A concept reached from a recognised one: how far, and the first link on the way.
#[derive(Debug, Clone)]
pub(super) struct Reached {
    pub concept: String,
    pub distance: usize,
    /// The recognised concept it was reached from.
    pub from: String,
    /// The relation of the first link ("breder", "verwant"), when `distance > 0`.
    pub relation: Option<&'static str>,
}

impl ConceptGraph {
    pub(super) fn from_store(store: &StoreView) -> Result<Self, StoreError> {
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
    pub(super) fn neighbourhood(&self, start: &str) -> Vec<Reached> {
        let mut seen = vec![Reached { concept: start.to_owned(), distance: 0, from: start.to_owned(), relation: None }];
        let mut next = 0;
        while next < seen.len() {
            let at = seen[next].clone();
            next += 1;
            if at.distance == MAX_CONCEPT_DISTANCE {
                continue;
            }
            for (neighbour, relation) in self.edges.get(&at.concept).into_iter().flatten() {
                if seen.iter().all(|known| &known.concept != neighbour) {
                    seen.push(Reached {
                        concept: neighbour.clone(),
                        distance: at.distance + 1,
                        from: start.to_owned(),
                        relation: at.relation.or(Some(relation)),
                    });
                }
            }
        }
        seen
    }
}

/// How a question word names a concept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Evidence {
    /// Equal to a name, or equal after stemming.
    Name,
    /// The concept's name is a part of the word ("tienermoeders" names "moeder"…).
    Part,
    /// Within the typo distance of a name: that many typos.
    Typo(usize),
}

/// One name of a concept, analysed.
#[derive(Debug)]
struct Name {
    concept: usize,
    folded: String,
    /// The length of `folded` in characters.
    letters: usize,
    words: Vec<String>,
}

/// The analysed names of every theme, factor, role and phase.
#[derive(Debug, Default)]
pub(super) struct ConceptNames {
    names: Vec<Name>,
}

/// A question word, as concept recognition sees it.
pub(super) struct AskedWord<'a> {
    pub folded: &'a str,
    pub terms: &'a WordTerms,
    /// Typed between double quotes: taken literally.
    pub literal: bool,
}

/// Typos forgiven in a word of this many letters: none below 5, one up to 8, two from 9.
pub(crate) fn typo_budget(letters: usize) -> usize {
    match letters {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// A word that is Dutch as it stands (a known word or a compound of known words) is no typo.
pub(super) fn is_known_word(lexicon: &Lexicon, folded: &str) -> bool {
    lexicon.contains(folded) || lexicon.split(folded).is_some()
}

impl ConceptNames {
    pub(super) fn new(gazetteer: &Gazetteer, names: &[(String, String)], analyzer: &mut TextAnalyzer) -> Self {
        let index: HashMap<&str, usize> =
            gazetteer.concepts.iter().enumerate().map(|(position, concept)| (concept.iri.as_str(), position)).collect();
        let names = names
            .iter()
            .filter_map(|(iri, name)| {
                let concept = *index.get(iri.as_str())?;
                let words: Vec<String> = analysis::word_terms(analyzer, name).into_iter().map(|word| word.whole).collect();
                // "voor de zwangerschap" is not "zwangerschap": a name that loses words to the
                // stop list is only recognised as a whole, by the gazetteer.
                let typed_words = name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).count();
                (!words.is_empty() && words.len() == typed_words).then(|| {
                    let folded = analysis::fold(name);
                    Name { concept, letters: folded.chars().count(), folded, words }
                })
            })
            .collect();
        Self { names }
    }

    /// The concepts (by index into the gazetteer's) that the question's words name, with the
    /// positions of the words that are the evidence and how they name it.
    pub(super) fn recognise(
        &self,
        words: &[AskedWord<'_>],
        gazetteer: &Gazetteer,
        lexicon: &Lexicon,
    ) -> Vec<(usize, Vec<usize>, Evidence)> {
        let mut found: Vec<(usize, Vec<usize>, Evidence)> = Vec::new();
        let mut add = |concept: usize, positions: Vec<usize>, evidence: Evidence| match found
            .iter_mut()
            .find(|(known, _, _)| *known == concept)
        {
            Some(known) if evidence < known.2 => *known = (concept, positions, evidence),
            Some(_) => {}
            None => found.push((concept, positions, evidence)),
        };
        let named: Vec<bool> = words
            .iter()
            .map(|word| {
                self.names
                    .iter()
                    .any(|name| name.words.len() == 1 && (name.words[0] == word.terms.whole || name.folded == word.folded))
            })
            .collect();
        // Dutch words (and words in quotes) are taken as they are.
        let typo_budgets: Vec<usize> =
            words
                .iter()
                .map(|word| {
                    if word.literal || is_known_word(lexicon, word.folded) { 0 } else { typo_budget(word.folded.chars().count()) }
                })
                .collect();
        for name in &self.names {
            if !matches!(
                gazetteer.concepts[name.concept].kind,
                ConceptKind::Theme
                    | ConceptKind::RiskFactor
                    | ConceptKind::ProtectiveFactor
                    | ConceptKind::Role
                    | ConceptKind::Phase
            ) {
                continue;
            }
            if name.words.len() > 1 {
                let positions: Option<Vec<usize>> =
                    name.words.iter().map(|term| words.iter().position(|word| &word.terms.whole == term)).collect();
                if let Some(positions) = positions {
                    add(name.concept, positions, Evidence::Name);
                }
                continue;
            }
            let term = &name.words[0];
            for (position, word) in words.iter().enumerate() {
                if &word.terms.whole == term || word.folded == name.folded {
                    add(name.concept, vec![position], Evidence::Name);
                } else if named[position] {
                    // A word that names a concept as it stands names no other by its parts.
                    continue;
                } else if word.terms.parts.iter().any(|part| part == term) {
                    add(name.concept, vec![position], Evidence::Part);
                } else if typo_budgets[position] > 0 {
                    let budget = typo_budgets[position];
                    let close_in_length = name.letters >= 5 && name.letters.abs_diff(word.folded.chars().count()) <= budget;
                    let distance =
                        if close_in_length { osa::distance(word.folded.chars(), name.folded.chars()) } else { budget + 1 };
                    if distance <= budget {
                        add(name.concept, vec![position], Evidence::Typo(distance));
                    }
                }
            }
        }
        found
    }
}
