// The global operator new and delete of the tfmend binary (and of its tests):
// small blocks go back to a free list of their size class, one list per
// thread, before glibc sees them. A check builds and drops a JSON tree, a
// model and findings per file, millions of small blocks of a few sizes;
// glibc keeps only 7 freed blocks per size in its thread cache, and the rest
// of the churn went through its bins (a quarter of a fleet check's time in
// malloc and free, against a tenth for the parse alone). See
// docs/performance.md.
//
// Left out where a sanitizer watches allocations: a block reused from a list
// would hide a use after free from it.
#include "alloc.h"

#include <malloc.h>
#include <pthread.h>

#include <cstddef>
#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TFMEND_POOL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define TFMEND_POOL 0
#endif
#endif
#ifndef TFMEND_POOL
#define TFMEND_POOL 1
#endif

namespace tfmend::alloc {

bool pooled() { return TFMEND_POOL != 0; }

}  // namespace tfmend::alloc

#if TFMEND_POOL

namespace {

// Class c holds blocks of 16c + 24 bytes, the sizes whose malloc chunk has no
// slack on 64-bit glibc: malloc_usable_size() of such a block is its size, so
// an unsized delete finds the class again.
constexpr std::size_t kClasses = 16;
constexpr std::size_t kLargest = 16 * (kClasses - 1) + 24;  // 264
/// Blocks a list keeps before it gives them back to malloc (glibc's cache keeps 7).
constexpr unsigned kKept = 2048;

/// The class whose blocks hold `n` bytes (n <= kLargest).
constexpr std::size_t classOf(std::size_t n) { return n <= 24 ? 0 : (n - 24 + 15) / 16; }
/// The largest class whose blocks fit in `usable` bytes (24 <= usable <= kLargest).
constexpr std::size_t classWithin(std::size_t usable) { return (usable - 24) / 16; }
constexpr std::size_t blockSize(std::size_t c) { return 16 * c + 24; }

struct Lists {
  void* head[kClasses];
  unsigned count[kClasses];
  bool registered;
};

// Zero-initialized and trivially destructible: no guard on the fast path.
thread_local Lists lists;

pthread_key_t exitKey;
pthread_once_t keyOnce = PTHREAD_ONCE_INIT;

/// A thread that ends gives its lists back (the main thread's go with the process).
void drain(void* p) {
  auto* l = static_cast<Lists*>(p);
  for (std::size_t c = 0; c < kClasses; ++c) {
    while (void* block = l->head[c]) {
      l->head[c] = *static_cast<void**>(block);
      std::free(block);
    }
    l->count[c] = 0;
  }
}

void makeKey() { pthread_key_create(&exitKey, drain); }

[[gnu::noinline]] void* allocateSlowly(std::size_t bytes) {
  while (true) {
    if (void* p = std::malloc(bytes)) return p;
    std::new_handler handler = std::get_new_handler();
    if (!handler) throw std::bad_alloc();
    handler();
  }
}

inline void* allocate(std::size_t n) {
  if (n <= kLargest) {
    std::size_t c = classOf(n);
    Lists& l = lists;
    if (void* p = l.head[c]) {
      l.head[c] = *static_cast<void**>(p);
      --l.count[c];
      return p;
    }
    n = blockSize(c);
  }
  if (void* p = std::malloc(n)) return p;
  return allocateSlowly(n);
}

inline void release(void* p, std::size_t c) {
  Lists& l = lists;
  if (l.count[c] >= kKept) {
    std::free(p);
    return;
  }
  if (!l.registered) {
    l.registered = true;
    pthread_once(&keyOnce, makeKey);
    pthread_setspecific(exitKey, &l);
  }
  *static_cast<void**>(p) = l.head[c];
  l.head[c] = p;
  ++l.count[c];
}

}  // namespace

// The calling thread's lists go back to malloc (src/memory.cc calls it).
extern "C" void tfmend_alloc_return_cached() { drain(&lists); }

void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return allocate(n);
  } catch (...) {
    return nullptr;
  }
}

void operator delete(void* p, std::size_t n) noexcept {
  if (!p) return;
  if (n <= kLargest) return release(p, classOf(n));
  std::free(p);
}
void operator delete(void* p) noexcept {
  if (!p) return;
  // On glibc a block of a class has exactly its class's usable size, and any
  // other block more than the largest class; elsewhere (a preloaded malloc)
  // a block goes to the largest class it holds.
  std::size_t usable = malloc_usable_size(p);
  if (usable >= 24 && usable <= kLargest) return release(p, classWithin(usable));
  std::free(p);
}
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { operator delete(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { operator delete(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { operator delete(p); }

#endif
