//! quorum: a static site generator for the minutes, advice and news of councils.
//!
//! The build is a one-way pipeline, one module per stage:
//! [`config`] + [`content`] (load) → [`site`] (link) → [`render`] → [`output`] (write);
//! [`build`] runs the stages in order; [`serve`] runs it again on every change.
//! [`authoring`] holds the commands that write content: `init`, `new` and `import`.

// Diagnostics travel by value on the cold error path; boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod allocator;
pub mod authoring;
pub mod build;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod fingerprint;
pub mod i18n;
pub mod markdown;
pub mod output;
pub mod render;
pub mod serve;
pub mod site;
pub mod slug;
pub mod theme;
mod toml_errors;
