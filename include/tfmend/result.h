#pragma once
/// Result<T>: a value or a one-line error message, in place of exceptions and
/// out-parameters across the pipeline's steps.

#include <string>
#include <utility>
#include <variant>

namespace tfmend {

/// A one-line, user-facing error message (lowercase, no trailing period).
struct Error {
  std::string message;
};

/// Either a value of type T or an Error.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}
  Result(Error error) : data_(std::move(error)) {}

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(data_); }
  const T& value() const { return std::get<0>(data_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(data_); }

 private:
  std::variant<T, Error> data_;
};

/// A Result that carries no value.
struct Unit {};
using Status = Result<Unit>;
inline Status okStatus() { return Unit{}; }

}  // namespace tfmend
