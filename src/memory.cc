#include "tfmend/memory.h"

#include <malloc.h>

// Defined by src/alloc.cc, which only programs link (the library does not
// replace operator new for whoever uses it): weak, so that without it the
// call is skipped.
extern "C" [[gnu::weak]] void tfmend_alloc_return_cached();

namespace tfmend::memory {

void returnCachedBlocks() {
  if (tfmend_alloc_return_cached) tfmend_alloc_return_cached();
}

void giveBack() {
  returnCachedBlocks();
  malloc_trim(0);
}

}  // namespace tfmend::memory
