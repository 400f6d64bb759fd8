//! Integration tests: the real `quorum` binary on fixture sites, one module per feature.

mod authoring;
mod bad_input;
mod bench;
mod build;
mod council;
mod deploy;
mod errors;
mod escaping;
mod example_site;
mod incremental;
mod invariants;
mod links;
mod output;
mod properties;
mod reread;
mod search;
mod serve;
mod serve_attack;
mod util;
