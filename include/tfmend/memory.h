#pragma once
/// Giving freed memory back between the phases of one large file: the peak
/// of `fix` on a large stack is set by what malloc keeps, not only by what is
/// in use (docs/performance.md).

#include <cstddef>

namespace tfmend::memory {

/// Inputs at least this large give memory back between phases. For them it
/// costs a few milliseconds (some hundred madvise calls); for a fleet of small
/// stacks it would only cost time.
constexpr std::size_t kGiveBackFrom = std::size_t{1} << 20;

/// Hands the blocks that the calling thread's allocator keeps for reuse
/// (src/alloc.cc) back to malloc, where freed neighbours merge and serve any
/// size. No-op in a program without that allocator.
void returnCachedBlocks();

/// returnCachedBlocks(), then malloc_trim(0): the whole free pages inside
/// malloc's heap go back to the system.
void giveBack();

}  // namespace tfmend::memory
