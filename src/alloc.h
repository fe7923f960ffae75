#pragma once
/// The binary's allocator (src/alloc.cc): global operator new and delete that
/// keep small blocks on per-thread free lists by size class.

namespace tfmend::alloc {

/// False where a sanitizer watches allocations and the lists are left out.
bool pooled();

}  // namespace tfmend::alloc
