//! Social maps from outside into RDF: Open Referral HSDS 3.0 files ([`hsds`]), and synthetic
//! maps of any size for benchmarks ([`synthetic`]), read from the regions and themes in the store.

pub mod hsds;
pub mod synthetic;
