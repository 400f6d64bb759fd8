//! The process's allocator: mimalloc, called as C calls it where that is enough.
//!
//! The `mimalloc` crate hands every request to `mi_malloc_aligned` with the alignment
//! Rust asks for. mimalloc serves that quickly only for blocks up to 1 KiB that happen
//! to be aligned already; everything else, such as every hash table (which asks for 16
//! bytes) of more than 1 KiB, took its general aligned path at some 260 instructions a
//! call: 2.3% of a build's instructions, most of them for Tera's maps of each page.
//! mimalloc aligns every block to 16 bytes, or to its size below that (its
//! `MI_MAX_ALIGN_SIZE`, as built here: libmimalloc-sys's `secure` and `debug` features,
//! which change how blocks are laid out, are off), so a request within that alignment
//! goes to `mi_malloc` and the others to the aligned calls. An open pull request to the
//! crate does the same (purpleprotocol/mimalloc_rust#170); the unit test below checks
//! the alignment of blocks of many sizes.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment of every block mimalloc hands out of at least this size.
const PLAIN_ALIGN: usize = 16;

/// mimalloc as the global allocator (see the module).
pub struct Mimalloc;

/// Whether a block of `size` bytes from a plain call is aligned to `align` already.
fn plain(size: usize, align: usize) -> bool {
    align <= PLAIN_ALIGN && align <= size
}

// SAFETY: each call goes to the mimalloc function for the same request (plain calls
// only where mimalloc's own alignment meets the layout's), which returns null on
// failure, as `GlobalAlloc` requires, and every block is freed by `mi_free`, which
// frees blocks of either kind.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        let block = unsafe {
            match plain(layout.size(), layout.align()) {
                true => mi::mi_malloc(layout.size()),
                false => mi::mi_malloc_aligned(layout.size(), layout.align()),
            }
        };
        aligned(block, layout.align())
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        let block = unsafe {
            match plain(layout.size(), layout.align()) {
                true => mi::mi_zalloc(layout.size()),
                false => mi::mi_zalloc_aligned(layout.size(), layout.align()),
            }
        };
        aligned(block, layout.align())
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (the caller's promise).
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with `layout` (the caller's promise);
        // the moved block is aligned as a new one of `new_size` would be.
        let block = unsafe {
            let ptr = ptr.cast::<c_void>();
            match plain(new_size, layout.align()) {
                true => mi::mi_realloc(ptr, new_size),
                false => mi::mi_realloc_aligned(ptr, new_size, layout.align()),
            }
        };
        aligned(block, layout.align())
    }
}

/// `block` as Rust's pointer, checked in debug builds (every test run of the binary)
/// for the alignment that plain calls rely on.
#[inline]
fn aligned(block: *mut c_void, align: usize) -> *mut u8 {
    // A message without arguments: formatting one would allocate.
    debug_assert!(
        (block as usize).is_multiple_of(align),
        "mimalloc returned a misaligned block"
    );
    block.cast()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_block_is_aligned_as_asked_and_keeps_its_bytes() {
        let allocator = Mimalloc;
        let mut blocks = Vec::new();
        for size in [
            1,
            7,
            8,
            12,
            16,
            24,
            40,
            56,
            100,
            1000,
            1024,
            1040,
            5000,
            70_000,
            3 << 20,
        ] {
            for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
                let layout = Layout::from_size_align(size, align).unwrap();
                for zeroed in [false, true] {
                    // SAFETY: the layout's size is not zero; the block is freed below
                    // with the same allocator and layout.
                    let block = unsafe {
                        match zeroed {
                            true => allocator.alloc_zeroed(layout),
                            false => allocator.alloc(layout),
                        }
                    };
                    assert!(!block.is_null());
                    assert_eq!(block as usize % align, 0, "{size} bytes aligned to {align}");
                    // SAFETY: the block holds `size` bytes.
                    let bytes = unsafe { std::slice::from_raw_parts_mut(block, size) };
                    if zeroed {
                        assert!(bytes.iter().all(|&b| b == 0), "{size} bytes zeroed");
                    }
                    bytes.fill(0xa5);
                    blocks.push((block, layout));
                }
            }
        }
        for (block, layout) in blocks {
            // Grown, then shrunk: each time aligned, with the bytes it had.
            let (mut block, mut layout) = (block, layout);
            for new_size in [layout.size() * 3, layout.size() / 2 + 1] {
                // SAFETY: `block` came from `allocator` with `layout`; `new_size` is not
                // zero. The moved block replaces it.
                block = unsafe { allocator.realloc(block, layout, new_size) };
                assert!(!block.is_null());
                assert_eq!(
                    block as usize % layout.align(),
                    0,
                    "{layout:?} to {new_size}"
                );
                let kept = new_size.min(layout.size());
                // SAFETY: the moved block holds at least `kept` bytes of the old one.
                let bytes = unsafe { std::slice::from_raw_parts(block, kept) };
                assert!(bytes.iter().all(|&b| b == 0xa5), "{layout:?} to {new_size}");
                layout = Layout::from_size_align(new_size, layout.align()).unwrap();
            }
            // SAFETY: `block` came from `allocator` with `layout`.
            unsafe { allocator.dealloc(block, layout) };
        }
    }
}
