//! Asking for a kind of result: `type=` by class or Dutch name, and the words of a question
//! that ask for a kind ("aanbod", "cijfers"). The kinds themselves are [`crate::rdf::kinds`].

use crate::analysis;
use crate::rdf::kinds;

use super::SearchError;

/// Words in a question that ask for a kind of result, and the types they ask for.
const TYPE_WORDS: [(&str, &[&str]); 13] = [
    ("aanbod", &["Offer", "Programme", "Tool"]),
    ("hulp", &["Offer", "Programme", "Tool"]),
    ("ondersteuning", &["Offer", "Programme", "Tool"]),
    ("verwijzen", &["Offer", "Programme", "Organisation"]),
    ("tool", &["Tool"]),
    ("instrument", &["Tool"]),
    ("cijfers", &["Figure"]),
    ("cijfer", &["Figure"]),
    ("richtlijn", &["Guideline"]),
    ("standaard", &["Guideline"]),
    ("scholing", &["Training", "ELearning"]),
    ("cursus", &["Training", "ELearning"]),
    ("podcast", &["Podcast"]),
];

/// Resolves a `type=` value (class name or its Dutch name, any case) to the class name.
pub fn resolve_type(name: &str) -> Result<&'static str, SearchError> {
    let folded = analysis::fold(name);
    kinds::searchable().find(|kind| kind.class.to_lowercase() == folded || kind.slug == folded).map(|kind| kind.class).ok_or_else(
        || SearchError::UnknownType(name.to_owned(), kinds::searchable().map(|kind| kind.slug).collect::<Vec<_>>().join(", ")),
    )
}

/// The types a folded question word asks for, if it is a type word.
pub(super) fn asked_by(folded_word: &str) -> Option<&'static [&'static str]> {
    TYPE_WORDS.iter().find(|(word, _)| *word == folded_word).map(|(_, types)| *types)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_words_ask_for_searchable_kinds() {
        for (word, classes) in TYPE_WORDS {
            assert!(classes.iter().all(|class| kinds::by_class(class).is_some_and(|kind| kind.searchable)), "{word}");
        }
        assert_eq!(resolve_type("Aanbod").ok(), Some("Offer"));
        assert_eq!(resolve_type("offer").ok(), Some("Offer"));
        assert!(resolve_type("gemeente").is_err());
    }
}
