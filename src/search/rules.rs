//! Ranking as ordered, named rules, the way Meilisearch ranks: results are sorted by the first
//! rule, its ties by the second, and so on; BM25 breaks the ties that remain. Each rule reads one
//! field of a result's [`Placement`], where lower is better. The order lives in one value,
//! [`RankingRules`], which the relevance tests and the benchmark can vary.

use std::cmp::Ordering;

use serde::Serialize;

/// One ranking rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// More of the question's words matched by a name, a concept they name or a linked label (a
    /// word only in a description counts under [`Rule::Attribute`]).
    Words,
    /// Fewer typos forgiven in the words matched.
    Typos,
    /// A name (label or other name) equal to what the question asks for.
    Exactness,
    /// Of the type the question asks for ("aanbod", "cijfers").
    AskedType,
    /// Matched in the label before the other names, the concepts, the linked labels and the
    /// description.
    Attribute,
    /// Serving the named place before its GGD region, province and the country; without a place,
    /// what is not bound to one before what is.
    Locality,
    /// About a recognised concept before what is only linked to one.
    Concept,
}

/// The ranking rules in the order they apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RankingRules {
    pub order: Vec<Rule>,
}

impl Default for RankingRules {
    fn default() -> Self {
        Self {
            order: vec![
                Rule::Words,
                Rule::Typos,
                Rule::Exactness,
                Rule::AskedType,
                Rule::Attribute,
                Rule::Locality,
                Rule::Concept,
            ],
        }
    }
}

/// Where a name equal to the question was found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exactness {
    /// The question is the label.
    Label,
    /// The question is another name.
    OtherName,
    /// The label's words are the question's words, some with a typo.
    LabelWords,
    /// What the question asks besides a place is a name ("Kraambuddy in Aalsmeer").
    NamedBesidesPlace,
    #[default]
    None,
}

/// Where a question word matched a result, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    Label,
    OtherName,
    /// A concept, role or phase the word names is one of the result's.
    Concept,
    /// The label of something the result links to (its provider, programme, themes).
    Linked,
    Description,
}

/// How a result fares on every rule; for each field lower is better, except `bm25`.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    pub words_missed: usize,
    pub typos: usize,
    pub exactness: Exactness,
    /// 0 when of an asked type (or no type was asked), else 1.
    pub type_missed: u8,
    /// The sum over the question's words of where each matched (see [`Attribute`], as its rank;
    /// one more than the last for a word not matched).
    pub attribute: usize,
    pub locality: u8,
    /// Links from a recognised concept to the nearest of the result's; `usize::MAX` for none.
    pub concept_distance: usize,
    pub bm25: f32,
}

impl Placement {
    /// A result that matched nothing yet: every rule at its best, no concept, and its BM25.
    pub fn new(bm25: f32) -> Self {
        Self {
            words_missed: 0,
            typos: 0,
            exactness: Exactness::None,
            type_missed: 0,
            attribute: 0,
            locality: 0,
            concept_distance: usize::MAX,
            bm25,
        }
    }
}

impl RankingRules {
    /// Orders two placements: `Less` when `a` ranks above `b`.
    pub fn compare(&self, a: &Placement, b: &Placement) -> Ordering {
        self.order
            .iter()
            .map(|rule| match rule {
                Rule::Words => a.words_missed.cmp(&b.words_missed),
                Rule::Typos => a.typos.cmp(&b.typos),
                Rule::Exactness => a.exactness.cmp(&b.exactness),
                Rule::AskedType => a.type_missed.cmp(&b.type_missed),
                Rule::Attribute => a.attribute.cmp(&b.attribute),
                Rule::Locality => a.locality.cmp(&b.locality),
                Rule::Concept => a.concept_distance.cmp(&b.concept_distance),
            })
            .find(|ordering| ordering.is_ne())
            .unwrap_or_else(|| b.bm25.total_cmp(&a.bm25))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placement() -> Placement {
        Placement::new(1.0)
    }

    #[test]
    fn each_rule_breaks_the_ties_of_the_one_before_and_bm25_the_rest() {
        let rules = RankingRules::default();
        let named = Placement { exactness: Exactness::Label, bm25: 0.1, ..placement() };
        let wordy = Placement { bm25: 9.0, ..placement() };
        assert_eq!(rules.compare(&named, &wordy), Ordering::Less, "a named item beats a better BM25");
        let typo = Placement { typos: 1, exactness: Exactness::Label, ..placement() };
        assert_eq!(rules.compare(&wordy, &typo), Ordering::Less, "typos come before exactness");
        let fewer = Placement { words_missed: 1, typos: 0, exactness: Exactness::Label, ..placement() };
        assert_eq!(rules.compare(&typo, &fewer), Ordering::Less, "words come first");
        assert_eq!(rules.compare(&wordy, &Placement { bm25: 2.0, ..placement() }), Ordering::Less);
    }

    #[test]
    fn the_order_can_be_changed() {
        let local = Placement { locality: 0, attribute: 4, ..placement() };
        let in_label = Placement { locality: 3, attribute: 0, ..placement() };
        assert_eq!(RankingRules::default().compare(&in_label, &local), Ordering::Less);
        let locality_first = RankingRules { order: vec![Rule::Locality, Rule::Attribute] };
        assert_eq!(locality_first.compare(&local, &in_label), Ordering::Less);
    }
}
