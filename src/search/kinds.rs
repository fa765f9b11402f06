//! The kinds of result: their Dutch names as `type=` accepts them, and the words of a question
//! that ask for a kind ("aanbod", "cijfers").

use crate::analysis;

use super::SearchError;

/// The result types (class name, Dutch name as accepted by `type=`).
pub const TYPES: [(&str, &str); 15] = [
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

/// The Dutch name of a result type (`Offer` → `aanbod`), as `type=` accepts it.
pub fn dutch_type(class: &str) -> Option<&'static str> {
    TYPES.iter().find(|(name, _)| *name == class).map(|(_, dutch)| *dutch)
}

/// Resolves a `type=` value (class name or its Dutch name, any case) to the class name.
pub fn resolve_type(name: &str) -> Result<&'static str, SearchError> {
    let folded = analysis::fold(name);
    TYPES.iter().find(|(class, dutch)| class.to_lowercase() == folded || *dutch == folded).map(|(class, _)| *class).ok_or_else(
        || SearchError::UnknownType(name.to_owned(), TYPES.iter().map(|(_, dutch)| *dutch).collect::<Vec<_>>().join(", ")),
    )
}

/// The types a folded question word asks for, if it is a type word.
pub(super) fn asked_by(folded_word: &str) -> Option<&'static [&'static str]> {
    TYPE_WORDS.iter().find(|(word, _)| *word == folded_word).map(|(_, types)| *types)
}
