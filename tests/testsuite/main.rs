//! Integration tests: the real `quorum` binary on fixture sites, one module per feature.

mod build;
mod errors;
mod example_site;
mod output;
mod search;
mod util;
