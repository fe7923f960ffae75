#pragma once
/// The JSON type of the whole project: insertion-ordered, so that key order of
/// the input survives a round trip, and indexed, so that an object with
/// 100,000 keys is looked up in constant time.

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace tfmend {

/// nlohmann's ordered_map (members in insertion order, in a vector) with a
/// hash index from key to position once it holds kIndexFrom keys: ordered_map
/// alone searches its members one by one, which made every lookup in a large
/// object (a stack's resources of one type, a huge `locals`) linear and
/// parsing, modelling and patching such a file quadratic. The index is kept up
/// to date by every change, so lookups do not change anything and may run in
/// several threads at once.
template <class Key, class T, class IgnoredLess = std::less<Key>,
          class Allocator = std::allocator<std::pair<const Key, T>>>
class IndexedOrderedMap : public nlohmann::ordered_map<Key, T, IgnoredLess, Allocator> {
 public:
  using Base = nlohmann::ordered_map<Key, T, IgnoredLess, Allocator>;
  using Container = typename Base::Container;
  using typename Base::const_iterator;
  using typename Base::iterator;
  using typename Base::key_type;
  using typename Base::mapped_type;
  using typename Base::size_type;
  using typename Base::value_type;

  /// Below this size a scan of the members is as fast as hashing.
  static constexpr std::size_t kIndexFrom = 32;

  IndexedOrderedMap() = default;
  explicit IndexedOrderedMap(const Allocator& alloc) : Base(alloc) {}
  template <class It>
  IndexedOrderedMap(It first, It last, const Allocator& alloc = Allocator()) : Base(first, last, alloc) {
    reindex();
  }
  IndexedOrderedMap(std::initializer_list<value_type> init, const Allocator& alloc = Allocator()) : Base(init, alloc) {
    reindex();
  }
  IndexedOrderedMap(const IndexedOrderedMap& o) : Base(o) { reindex(); }
  IndexedOrderedMap& operator=(const IndexedOrderedMap& o) {
    if (this != &o) *this = IndexedOrderedMap(o);  // a member's key is const: copied anew, then moved in
    return *this;
  }
  IndexedOrderedMap(IndexedOrderedMap&& o) noexcept : Base(std::move(static_cast<Base&>(o))), slots_(std::move(o.slots_)) {
    o.Container::clear();
  }
  IndexedOrderedMap& operator=(IndexedOrderedMap&& o) noexcept {
    static_cast<Base&>(*this) = std::move(static_cast<Base&>(o));
    slots_ = std::move(o.slots_);
    o.Container::clear();
    return *this;
  }

  template <class K>
  iterator find(const K& key) {
    return this->begin() + static_cast<std::ptrdiff_t>(position(key));
  }
  template <class K>
  const_iterator find(const K& key) const {
    return this->begin() + static_cast<std::ptrdiff_t>(position(key));
  }
  template <class K>
  size_type count(const K& key) const {
    return position(key) == this->size() ? 0 : 1;
  }
  template <class K>
  T& at(const K& key) {
    auto it = find(key);
    if (it == this->end()) throw std::out_of_range("key not found");
    return it->second;
  }
  template <class K>
  const T& at(const K& key) const {
    auto it = find(key);
    if (it == this->end()) throw std::out_of_range("key not found");
    return it->second;
  }
  template <class K>
  T& operator[](K&& key) {
    return emplace(std::forward<K>(key), T{}).first->second;
  }
  template <class K, class V>
  std::pair<iterator, bool> emplace(K&& key, V&& value) {
    if (auto it = find(key); it != this->end()) return {it, false};
    if (this->size() == this->capacity()) grow();
    Container::emplace_back(std::forward<K>(key), std::forward<V>(value));
    if (this->size() >= kIndexFrom) {
      if (2 * this->size() > tableSize()) {
        reindex();  // at kIndexFrom, and whenever the table would be more than half full
      } else {
        place(this->size() - 1);
      }
    }
    return {std::prev(this->end()), true};
  }
  std::pair<iterator, bool> insert(const value_type& value) { return emplace(value.first, value.second); }
  std::pair<iterator, bool> insert(value_type&& value) { return emplace(value.first, std::move(value.second)); }
  template <class It>
  void insert(It first, It last) {
    for (; first != last; ++first) insert(*first);
  }
  template <class K>
  size_type erase(const K& key) {
    auto it = find(key);
    if (it == this->end()) return 0;
    erase(it);
    return 1;
  }
  iterator erase(iterator pos) { return erase(pos, std::next(pos)); }
  iterator erase(iterator first, iterator last) {
    auto next = Base::erase(first, last);
    reindex();  // the members after them moved
    return next;
  }
  /// Replaces the members with `members`, whose keys the caller knows to be
  /// distinct (the parser checked them), in one allocation of their number,
  /// moving keys and values.
  template <class It>
  void assignDistinct(It first, It last) {
    Container exact(this->get_allocator());
    exact.reserve(static_cast<std::size_t>(std::distance(first, last)));
    for (; first != last; ++first) exact.emplace_back(std::move(first->first), std::move(first->second));
    Container::swap(exact);
    reindex();
  }
  void clear() noexcept {
    Container::clear();
    slots_.reset();
  }
  /// True if lookups go through the hash index (kIndexFrom members or more).
  bool indexed() const { return slots_ != nullptr; }

 private:
  /// Doubles the capacity, moving the members' values. std::vector would copy
  /// them whole: a member's key is const, so its move may throw, and vector
  /// then copies, deep, every subtree of the object at each growth.
  void grow() {
    Container& members = *this;
    Container bigger(members.get_allocator());
    bigger.reserve(std::max<std::size_t>(4, members.capacity() * 2));
    for (auto& m : members) bigger.emplace_back(m.first, std::move(m.second));
    members.swap(bigger);
  }

  /// The position of `key`, or size() when it is not there.
  template <class K>
  std::size_t position(const K& key) const {
    std::string_view k(key);
    if (!slots_) {
      for (std::size_t i = 0; i < this->size(); ++i) {
        if (Container::operator[](i).first == k) return i;
      }
      return this->size();
    }
    const std::uint32_t* table = slots_.get() + 1;
    const std::size_t mask = tableSize() - 1;
    for (std::size_t i = hashOf(k) & mask;; i = (i + 1) & mask) {
      const std::uint32_t slot = table[i];
      if (slot == 0) return this->size();
      if (Container::operator[](slot - 1).first == k) return slot - 1;
    }
  }

  static std::size_t hashOf(std::string_view k) { return std::hash<std::string_view>{}(k); }

  /// Enters the member at `pos` in the table, unless an earlier member has its
  /// key: the first of duplicates wins, as in a scan.
  void place(std::size_t pos) {
    const std::string_view k(Container::operator[](pos).first);
    std::uint32_t* table = slots_.get() + 1;
    const std::size_t mask = tableSize() - 1;
    for (std::size_t i = hashOf(k) & mask;; i = (i + 1) & mask) {
      const std::uint32_t slot = table[i];
      if (slot == 0) {
        table[i] = static_cast<std::uint32_t>(pos + 1);
        return;
      }
      if (Container::operator[](slot - 1).first == k) return;
    }
  }

  void reindex() {
    if (this->size() < kIndexFrom) {
      slots_.reset();
      return;
    }
    const std::size_t size = std::bit_ceil(4 * this->size());
    if (size >= std::numeric_limits<std::uint32_t>::max()) throw std::length_error("an object has too many members");
    slots_.reset(new std::uint32_t[size + 1]());
    slots_[0] = static_cast<std::uint32_t>(size);
    for (std::size_t i = 0; i < this->size(); ++i) place(i);
  }

  std::size_t tableSize() const { return slots_ ? slots_[0] : 0; }

  /// Open addressing with linear probing: a slot holds a member's position
  /// plus one (0 is empty). There is no table below kIndexFrom members, and
  /// it is at most half full above; the keys themselves stay in the members.
  /// Its first word is its size: one pointer in every object (most have no
  /// table), not a vector's three (an object is 16 bytes smaller in malloc).
  std::unique_ptr<std::uint32_t[]> slots_;
};

using Json = nlohmann::basic_json<IndexedOrderedMap>;
using JsonPointer = Json::json_pointer;

}  // namespace tfmend

// Json and its object type are instantiated once, in src/json.cc, rather than
// in every file that uses them: without optimisation (the sanitized build),
// from 6% to half of a file's compile time (docs/performance.md).
extern template class nlohmann::basic_json<tfmend::IndexedOrderedMap>;
extern template class tfmend::IndexedOrderedMap<std::string, tfmend::Json, std::less<void>>;

namespace tfmend {

/// Escapes one JSON Pointer token (RFC 6901: `~` as `~0`, `/` as `~1`).
inline std::string pointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

/// True if all of `s` is valid UTF-8, as JSON output must be (nlohmann's dump
/// throws on anything else).
bool isValidUtf8(std::string_view s);

/// `s` with every byte that is not part of valid UTF-8 replaced by U+FFFD, as
/// Json::dump's error_handler_t::replace writes it.
std::string toValidUtf8(std::string_view s);

/// `text` fit for one line of any report: valid UTF-8, control characters (a
/// newline in a file name) as `?`, at most `limit` bytes.
std::string oneLine(std::string_view text, std::size_t limit = 4096);
}  // namespace tfmend
