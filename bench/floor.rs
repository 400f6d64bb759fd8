//! The floor of a build on this machine: read every input file, then write as many files
//! of the same sizes as a real output into a staging folder and rename it into place,
//! on all cores, with nothing in between. No generator can be faster than this.
//!
//!   rustc -O -o target/floor bench/floor.rs
//!   target/floor SITE/content SITE/public OUT

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

fn main() -> io::Result<()> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [content, model, out] = args.as_slice() else {
        eprintln!("usage: floor CONTENT MODEL_OUTPUT OUT");
        std::process::exit(2);
    };
    let inputs = files_under(content)?;
    let outputs: Vec<(PathBuf, u64)> = files_under(model)?
        .into_iter()
        .map(|path| {
            let size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            (path.strip_prefix(model).unwrap_or(&path).to_path_buf(), size)
        })
        .collect();
    let started = Instant::now();
    let read = AtomicUsize::new(0);
    in_parallel(&inputs, |path| {
        read.fetch_add(fs::read(path)?.len(), Ordering::Relaxed);
        Ok(())
    })?;
    let read_done = started.elapsed();
    let staging = out.with_extension("floor-staging");
    let _ = fs::remove_dir_all(&staging);
    let mut folders: Vec<PathBuf> = outputs
        .iter()
        .filter_map(|(p, _)| p.parent().map(Path::to_path_buf))
        .collect();
    folders.sort();
    folders.dedup();
    in_parallel(&folders, |folder| fs::create_dir_all(staging.join(folder)))?;
    let buffer = vec![b'x'; outputs.iter().map(|(_, s)| *s as usize).max().unwrap_or(0)];
    in_parallel(&outputs, |(path, size)| {
        fs::write(staging.join(path), &buffer[..*size as usize])
    })?;
    let _ = fs::remove_dir_all(out);
    fs::rename(&staging, out)?;
    let written: u64 = outputs.iter().map(|(_, s)| s).sum();
    println!(
        "floor: read {} files ({} MB) in {} ms; wrote {} files ({} MB) in {} ms; total {} ms",
        inputs.len(),
        read.into_inner() / 1_000_000,
        read_done.as_millis(),
        outputs.len(),
        written / 1_000_000,
        (started.elapsed() - read_done).as_millis(),
        started.elapsed().as_millis()
    );
    Ok(())
}

fn files_under(root: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                folders.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Runs `job` on every item, one thread per core, each taking the next item.
fn in_parallel<T: Sync>(items: &[T], job: impl Fn(&T) -> io::Result<()> + Sync) -> io::Result<()> {
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    while let Some(item) = items.get(next.fetch_add(1, Ordering::Relaxed)) {
                        job(item)?;
                    }
                    Ok::<(), io::Error>(())
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().unwrap_or_else(|_| Err(io::Error::other("panic"))))
    })
}
