// The binary's allocator (src/alloc.cc), linked into the tests too: the whole
// suite runs on it, and these cases check its own promises.
#include "alloc.h"

#include <malloc.h>

#include <cstring>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace tfmend {
namespace {

/// Every size gets a block that holds it, whichever delete gives it back.
TEST(Alloc, EveryBlockHoldsItsSizeThroughBothDeletes) {
  for (int round = 0; round < 3; ++round) {
    std::vector<std::pair<void*, std::size_t>> blocks;
    for (std::size_t n = 0; n <= 600; ++n) {
      void* p = ::operator new(n);
      ASSERT_NE(p, nullptr);
      EXPECT_GE(malloc_usable_size(p), n) << n;
      std::memset(p, static_cast<int>(n & 0xff), n);
      blocks.emplace_back(p, n);
    }
    for (auto& [p, n] : blocks) {
      const auto* bytes = static_cast<const unsigned char*>(p);
      for (std::size_t k = 0; k < n; ++k) ASSERT_EQ(bytes[k], n & 0xff) << n;
      // Half by sized delete (what compiled C++ calls), half unsized (what a
      // library compiled without sized deallocation calls).
      if (n % 2 == 0) {
        ::operator delete(p, n);
      } else {
        ::operator delete(p);
      }
    }
  }
}

/// A freed small block is the next one of its class to be handed out.
TEST(Alloc, AFreedSmallBlockIsReusedForItsClass) {
  if (!alloc::pooled()) GTEST_SKIP() << "built with a sanitizer: the lists are left out";
  void* a = ::operator new(100);
  ::operator delete(a, 100);
  void* b = ::operator new(97);  // the same class (104-byte blocks)
  EXPECT_EQ(a, b);
  ::operator delete(b);  // unsized: the class is found from the block
  void* c = ::operator new(104);
  EXPECT_EQ(c, b);
  ::operator delete(c, 104);
  void* big = ::operator new(4096);
  ::operator delete(big, 4096);
  void* other = ::operator new(24);
  EXPECT_NE(other, big);  // large blocks go back to malloc, not to a list
  ::operator delete(other, 24);
}

/// Blocks move between threads (a worker's findings freed by the main
/// thread), and a thread's lists go back to malloc when it ends.
TEST(Alloc, BlocksCrossThreadsAndThreadsGiveTheirListsBack) {
  std::vector<std::string*> made;
  std::thread worker([&] {
    for (int i = 0; i < 10000; ++i) made.push_back(new std::string(40 + i % 200, 'x'));
    // Some churn of the worker's own, left on its lists when it ends.
    for (int i = 0; i < 10000; ++i) delete new std::string(30 + i % 200, 'y');
  });
  worker.join();
  std::size_t total = 0;
  for (std::string* s : made) {
    total += s->size();
    delete s;
  }
  EXPECT_EQ(total, 10000u * 40 + 50u * (199u * 200u / 2));
  std::thread again([] {
    auto v = std::make_unique<std::vector<int>>(1000, 7);
    EXPECT_EQ((*v)[999], 7);
  });
  again.join();
}

TEST(Alloc, ArraysAndNothrowGoThroughTheSameLists) {
  auto* a = new int[10];
  for (int i = 0; i < 10; ++i) a[i] = i;
  EXPECT_EQ(a[9], 9);
  delete[] a;
  auto* b = new (std::nothrow) char[33];
  ASSERT_NE(b, nullptr);
  std::memset(b, 1, 33);
  delete[] b;
  std::set<int> s;
  for (int i = 0; i < 5000; ++i) s.insert(i * 7 % 5000);
  EXPECT_EQ(s.size(), 5000u);
}

}  // namespace
}  // namespace tfmend
