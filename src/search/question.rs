//! Question understanding: before searching, find the places (municipalities, GGD regions,
//! provinces, PC4 and PC6 postcodes, through the shared [`Places`] gazetteer) and the concepts
//! (themes, risk and protective factors, roles, phases) that a question names, so that they
//! become constraints rather than words. Concepts are matched on folded word sequences, longest
//! first, with the graph's labels as their names.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::analysis::Lexicon;
pub use crate::places::{Alternative, Place, PlaceKind, Places, RecognisedRegion};
use crate::places::{Word, name_key, words};
use crate::store::{StoreError, StoreView};

/// Longest concept label, in words, that is looked up.
const MAX_CONCEPT_WORDS: usize = 6;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConceptKind {
    Theme,
    RiskFactor,
    ProtectiveFactor,
    Role,
    Phase,
}

impl ConceptKind {
    pub(crate) fn from_class(class: &str) -> Option<Self> {
        Some(match class.rsplit('#').next()? {
            "Theme" => Self::Theme,
            "RiskFactor" => Self::RiskFactor,
            "ProtectiveFactor" => Self::ProtectiveFactor,
            "Role" => Self::Role,
            "Phase" => Self::Phase,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Concept {
    pub iri: String,
    pub label: String,
    pub kind: ConceptKind,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecognisedConcept {
    pub iri: String,
    pub label: String,
    pub kind: ConceptKind,
    pub matched: String,
}

/// What was understood of a question.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Understood {
    pub regions: Vec<RecognisedRegion>,
    pub concepts: Vec<RecognisedConcept>,
    /// The words left for full-text search, as written; words in double quotes keep them.
    pub text: String,
}

/// The names of places and concepts, read from the store.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    /// Shared with reconciliation, which must read names as search does.
    pub places: Arc<Places>,
    pub concepts: Vec<Concept>,
    concept_names: HashMap<String, Vec<usize>>,
}

impl Gazetteer {
    /// Reads places and concepts from the store; `lexicon` holds the Dutch words that are never
    /// taken for a misspelt place.
    pub fn from_store(store: &StoreView, lexicon: &Arc<Lexicon>) -> Result<Self, StoreError> {
        let places = Arc::new(Places::from_store(store, Arc::clone(lexicon))?);
        let mut gazetteer = Self { places, concepts: Vec::new(), concept_names: HashMap::new() };
        let concepts = store.select(
            "SELECT ?c ?type ?label ?name WHERE {
               VALUES ?type { kr:Theme kr:RiskFactor kr:ProtectiveFactor kr:Role kr:Phase }
               ?c a ?type ; skos:prefLabel ?label FILTER(LANG(?label) = 'nl')
               ?c skos:prefLabel|skos:altLabel|skos:hiddenLabel ?name
             }",
        )?;
        let mut concept_index: HashMap<String, usize> = HashMap::new();
        for row in concepts {
            let [Some(iri), Some(class), Some(label), Some(name)] = &row[..] else { continue };
            let Some(kind) = ConceptKind::from_class(class) else { continue };
            let index = *concept_index.entry(iri.clone()).or_insert_with(|| {
                gazetteer.concepts.push(Concept { iri: iri.clone(), label: label.clone(), kind });
                gazetteer.concepts.len() - 1
            });
            let entry = gazetteer.concept_names.entry(name_key(name)).or_default();
            if !entry.contains(&index) {
                entry.push(index);
            }
        }
        Ok(gazetteer)
    }

    /// The same concepts, with `places`.
    pub fn with_places(&self, places: Arc<Places>) -> Self {
        Self { places, ..self.clone() }
    }

    /// The country, the place every other lies in.
    pub fn country(&self) -> Option<usize> {
        self.places.country()
    }

    pub fn place_by_iri(&self, iri: &str) -> Option<usize> {
        self.places.place_by_iri(iri)
    }

    /// The place and every place it lies in, nearest first.
    pub fn covering(&self, place: usize) -> Vec<usize> {
        self.places.covering(place)
    }

    /// Every place inside `place`, not itself.
    pub fn within(&self, place: usize) -> Vec<usize> {
        self.places.within(place)
    }

    /// Recognises places, postcodes and concepts in `question`.
    pub fn understand(&self, question: &str) -> Understood {
        let words = words(question);
        let mut used = vec![false; words.len()];
        let regions = self.places.recognise(question, &words, &mut used);
        let concepts = self.recognise_concepts(&words, &used);
        Understood { regions, concepts, text: remaining_text(&words, &used) }
    }

    fn recognise_concepts(&self, words: &[Word<'_>], used: &[bool]) -> Vec<RecognisedConcept> {
        let mut recognised: Vec<RecognisedConcept> = Vec::new();
        let mut start = 0;
        while start < words.len() {
            let mut length_taken = 0;
            for length in (1..=MAX_CONCEPT_WORDS.min(words.len() - start)).rev() {
                if used[start..start + length].iter().any(|&u| u) {
                    continue;
                }
                let key = words[start..start + length].iter().map(|w| w.folded.as_str()).collect::<Vec<_>>().join(" ");
                let Some(concepts) = self.concept_names.get(&key) else { continue };
                let matched = words[start..start + length].iter().map(|w| w.original).collect::<Vec<_>>().join(" ");
                for &concept in concepts {
                    let concept = &self.concepts[concept];
                    if !recognised.iter().any(|known| known.iri == concept.iri) {
                        recognised.push(RecognisedConcept {
                            iri: concept.iri.clone(),
                            label: concept.label.clone(),
                            kind: concept.kind,
                            matched: matched.clone(),
                        });
                    }
                }
                length_taken = length;
                break;
            }
            // Concept words stay in the text: they also rank documents by their wording.
            start += length_taken.max(1);
        }
        recognised
    }
}

/// The words not taken as a place, for full-text search. Words written in double quotes keep
/// their quotes (a run of them in one pair), so that search can take them literally.
fn remaining_text(words: &[Word<'_>], used: &[bool]) -> String {
    let mut text = String::new();
    let mut in_quotes = false;
    for (word, _) in words.iter().zip(used).filter(|(_, used)| !**used) {
        if in_quotes && !word.quoted {
            text.push('"');
            in_quotes = false;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        if word.quoted && !in_quotes {
            text.push('"');
            in_quotes = true;
        }
        text.push_str(word.original);
    }
    if in_quotes {
        text.push('"');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Concepts only (the places have their own tests): POH, the theme "roken".
    fn gazetteer() -> Gazetteer {
        let mut g = Gazetteer { places: Arc::default(), concepts: Vec::new(), concept_names: HashMap::new() };
        g.concepts.push(Concept { iri: "poh".to_owned(), label: "POH".to_owned(), kind: ConceptKind::Role });
        g.concepts.push(Concept { iri: "roken".to_owned(), label: "Roken".to_owned(), kind: ConceptKind::Theme });
        g.concept_names.insert("poh".to_owned(), vec![0]);
        g.concept_names.insert("stoppen met roken".to_owned(), vec![1]);
        g
    }

    #[test]
    fn concepts_are_recognised_and_stay_in_the_text() {
        let understood = gazetteer().understand("POH stoppen met roken");
        let concepts: Vec<&str> = understood.concepts.iter().map(|c| c.iri.as_str()).collect();
        assert_eq!(concepts, ["poh", "roken"]);
        assert_eq!(understood.concepts[1].matched, "stoppen met roken");
        assert_eq!(understood.text, "POH stoppen met roken");
    }

    #[test]
    fn quoted_words_keep_their_quotes_in_the_text() {
        let g = gazetteer();
        assert_eq!(g.understand("roken \"Amsterdm\" nu").text, "roken \"Amsterdm\" nu");
        assert_eq!(g.understand("“Den Bosch” hulp").text, "\"Den Bosch\" hulp");
        assert_eq!(g.understand("\"open einde").text, "\"open einde\"");
    }

    #[test]
    fn odd_input_is_harmless() {
        let g = gazetteer();
        let spaces = "x ".repeat(10_000);
        for odd in ["", "?!", &spaces, "SELECT * WHERE { ?s ?p ?o }", "<script>alert(1)</script>", "'; DROP TABLE"] {
            let understood = g.understand(odd);
            assert!(understood.regions.is_empty() && understood.concepts.is_empty(), "{odd:.40}");
        }
    }
}
