//! Rebuilds the binary when the built-in theme or the `init` scaffold changes: both are
//! embedded with `include_dir!`/`include_str!`, which stable Rust does not track by itself.

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=src/authoring/scaffold");
    println!("cargo:rerun-if-changed=examples");
}
