//! RDF as kansrijk writes and reads it: the IRIs it publishes and the vocabularies it builds on
//! ([`vocab`]), the kinds of resource it describes ([`kinds`]), and reading RDF files with
//! positions in their errors ([`files`]).

pub mod files;
pub mod kinds;
pub mod vocab;
