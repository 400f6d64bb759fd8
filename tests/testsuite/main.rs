//! Integration tests: the real `quorum` binary on fixture sites, one module per feature.

mod authoring;
mod build;
mod errors;
mod example_site;
mod output;
mod util;
