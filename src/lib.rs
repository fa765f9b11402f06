//! kansrijk: the Kansrijke Start knowledge graph, its persistent store, a SPARQL 1.1
//! endpoint, Dutch full-text search, linked data and reconciliation.
//!
//! Data flows one way, each layer using only those before it (see `ARCHITECTURE.md`):
//!
//! | layer | modules |
//! |---|---|
//! | RDF and text basics | [`rdf`] (vocabulary, resource kinds, RDF files), [`analysis`] (Dutch words) |
//! | the data kansrijk ships | [`data`] (embedded graphs and ontology, SHACL shapes) |
//! | the persistent store | [`store`] (Oxigraph) |
//! | what the store knows, read for people | [`places`] (the one gazetteer), [`catalog`] (contacts, lists) |
//! | search | [`search`] (question, Tantivy index, ranking, engine) |
//! | answering | [`sparql`] (with `SERVICE kr:search`), [`publish`] (linked data, VoID), [`reconcile`] |
//! | changing | [`import`] (HSDS, synthetic maps), [`write`](mod@write) (validated writes, tokens, provenance), [`live`] (one write at a time, snapshots) |
//! | the edges | [`http`] (axum) and [`cli`] (clap): the only modules that know axum, maud, clap or tokio |
//!
//! The main types are re-exported here.

pub mod analysis;
mod background;
pub mod catalog;
pub mod cli;
pub mod data;
pub mod http;
pub mod import;
pub mod live;
mod memory;
pub mod places;
pub mod publish;
pub mod rdf;
pub mod reconcile;
pub mod search;
pub mod sparql;
pub mod store;
pub mod write;

pub use live::{KnowledgeBase, Snapshot};
pub use reconcile::Reconciler;
pub use search::SearchEngine;
pub use search::index::SearchIndex;
pub use store::KnowledgeStore;
