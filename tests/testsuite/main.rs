//! Integration tests: the real `quorum` binary on fixture sites, one module per feature.

mod authoring;
mod build;
mod council;
mod errors;
mod example_site;
mod links;
mod output;
mod search;
mod serve;
mod util;
