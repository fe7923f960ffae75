#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <iostream>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

#include "tfmend/file_io.h"
#include "tfmend/json.h"

namespace tfmend {

namespace {

/// A hash of a file's bytes, to tell whether it changed under us: eight bytes
/// a step (FNV-1a one byte a step cost as much as a fifth of a check's parse).
/// Not a cryptographic hash; size and times are compared beside it.
std::uint64_t contentHash(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL ^ text.size();
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    h = (h ^ word) * 1099511628211ULL;
    h ^= h >> 29;
  }
  for (; i < text.size(); ++i) h = (h ^ static_cast<unsigned char>(text[i])) * 1099511628211ULL;
  return h;
}

std::string describeLimit(std::uint64_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

std::string tooLarge(const std::string& path, std::uint64_t maxBytes) {
  return oneLine(path) + ": cannot read: larger than the limit of " + describeLimit(maxBytes);
}

std::int64_t mtimeNs(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

Result<InputFile> readStdin(std::uint64_t maxBytes) {
  InputFile in;
  char buf[65536];
  while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
    in.text.append(buf, static_cast<std::size_t>(std::cin.gcount()));
    if (in.text.size() > maxBytes) return Error{tooLarge("-", maxBytes)};
  }
  return in;
}

/// The file a path finally names: symbolic links followed; the path itself
/// when nothing exists there yet.
Result<std::string> finalTarget(const std::string& path) {
  struct stat lst {};
  if (::lstat(path.c_str(), &lst) != 0) return path;
  if (!S_ISLNK(lst.st_mode)) return path;
  char* real = ::realpath(path.c_str(), nullptr);
  if (!real) return Error{oneLine(path) + ": cannot write: the symbolic link points to nothing (" + std::strerror(errno) + ")"};
  std::string out(real);
  std::free(real);
  return out;
}

/// A write that fails with EFBIG must come back as an error, not kill the process.
void ignoreFileSizeSignal() {
  static std::once_flag once;
  std::call_once(once, [] { ::signal(SIGXFSZ, SIG_IGN); });
}

bool isTemporaryName(const std::string& name, bool& withPid, long& pid) {
  // NAME.tfmend-PID-XXXXXX, or (older versions) NAME.tfmend-XXXXXX; X is mkstemp's alphabet.
  std::size_t at = name.rfind(".tfmend-");
  if (at == std::string::npos || at == 0) return false;
  std::string rest = name.substr(at + 8);
  auto alnum = [](const std::string& s) {
    for (char c : s) {
      if (!std::isalnum(static_cast<unsigned char>(c))) return false;
    }
    return true;
  };
  if (rest.size() == 6 && alnum(rest)) {
    withPid = false;
    return true;
  }
  std::size_t dash = rest.find('-');
  if (dash == std::string::npos || dash == 0 || dash > 10 || rest.size() - dash - 1 != 6) return false;
  std::string digits = rest.substr(0, dash);
  if (digits.find_first_not_of("0123456789") != std::string::npos || !alnum(rest.substr(dash + 1))) return false;
  withPid = true;
  pid = std::strtol(digits.c_str(), nullptr, 10);
  return true;
}

}  // namespace

Result<InputFile> readFile(const std::string& path, std::uint64_t maxBytes) {
  if (path == "-") return readStdin(maxBytes);
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return Error{oneLine(path) + ": cannot read: " + std::strerror(errno)};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    return Error{oneLine(path) + ": cannot read: " + std::strerror(e)};
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error{oneLine(path) + ": cannot read: " + (S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file")};
  }
  if (static_cast<std::uint64_t>(st.st_size) > maxBytes) {
    ::close(fd);
    return Error{tooLarge(path, maxBytes)};
  }
  InputFile in;
  // One byte more than the file holds: the read that finds the end needs no
  // room of its own, so the text is not regrown (to twice its size) for it.
  in.text.resize(static_cast<std::size_t>(st.st_size) + 1);
  std::size_t got = 0;
  while (true) {
    if (got == in.text.size()) {
      if (got > maxBytes) break;
      in.text.resize(got + 65536);  // the file grew since fstat
    }
    ssize_t n = ::read(fd, in.text.data() + got, in.text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      return Error{oneLine(path) + ": cannot read: " + std::strerror(e)};
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got > maxBytes) return Error{tooLarge(path, maxBytes)};
  in.text.resize(got);
  in.stamp = FileStamp{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                       static_cast<std::uint64_t>(st.st_size), mtimeNs(st), contentHash(in.text)};
  return in;
}

Result<std::string> readInput(const std::string& path, std::uint64_t maxBytes) {
  auto in = readFile(path, maxBytes);
  if (!in) return in.error();
  return std::move(in->text);
}

Status writeAtomically(const std::string& path, const std::string& content, const std::optional<FileStamp>& unchanged) {
  ignoreFileSizeSignal();
  auto target = finalTarget(path);
  if (!target) return target.error();
  auto fail = [&](const std::string& what, const std::string& tmp) -> Status {
    std::string message = oneLine(path) + ": cannot write: " + what + ": " + std::strerror(errno);
    if (!tmp.empty()) ::unlink(tmp.c_str());
    return Error{message};
  };
  struct stat st {};
  mode_t mode = 0644;
  bool exists = ::stat(target->c_str(), &st) == 0;
  if (exists) {
    if (!S_ISREG(st.st_mode)) return Error{oneLine(path) + ": cannot write: not a regular file"};
    // A read-only file says "do not change me" (a checkout that must be opened
    // for edit first, a file under review): refused, never silently replaced.
    if ((st.st_mode & 0222) == 0 || ::access(target->c_str(), W_OK) != 0) {
      return Error{oneLine(path) + ": not written: the file is read-only"};
    }
    mode = st.st_mode & 07777;
  }
  std::string tmpl = *target + ".tfmend-" + std::to_string(::getpid()) + "-XXXXXX";
  int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
  if (fd < 0) return fail("cannot create a temporary file", "");
  std::size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      errno = e;
      return fail("write", tmpl);
    }
    written += static_cast<std::size_t>(n);
  }
  if (exists && ::fchown(fd, st.st_uid, st.st_gid) != 0) {
    // Only root may give a file away; anyone else writes their own files.
  }
  if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) {
    int e = errno;
    ::close(fd);
    errno = e;
    return fail("fsync", tmpl);
  }
  if (::close(fd) != 0) return fail("close", tmpl);
  if (unchanged) {
    // Someone may have edited the file while the fixes were computed: their
    // edit wins, this run's result is dropped.
    struct stat now {};
    bool same = ::stat(target->c_str(), &now) == 0 && static_cast<std::uint64_t>(now.st_dev) == unchanged->device &&
                static_cast<std::uint64_t>(now.st_ino) == unchanged->inode &&
                static_cast<std::uint64_t>(now.st_size) == unchanged->size && mtimeNs(now) == unchanged->mtimeNs;
    if (same) {
      auto current = readFile(*target, unchanged->size);
      same = current && current->stamp && current->stamp->hash == unchanged->hash;
    }
    if (!same) {
      ::unlink(tmpl.c_str());
      return Error{oneLine(path) + ": not written: the file changed while tfmend ran"};
    }
  }
  if (::rename(tmpl.c_str(), target->c_str()) != 0) return fail("rename", tmpl);
  // Make the rename itself durable.
  std::string dir = target->find('/') == std::string::npos ? "." : target->substr(0, target->rfind('/'));
  if (dir.empty()) dir = "/";
  if (int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return okStatus();
}

void sweepTemporaries(const std::string& folder) {
  DIR* d = ::opendir(folder.empty() ? "." : folder.c_str());
  if (!d) return;
  std::time_t now = std::time(nullptr);
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    bool withPid = false;
    long pid = 0;
    if (!isTemporaryName(name, withPid, pid)) continue;
    std::string full = (folder.empty() ? std::string(".") : folder) + "/" + name;
    struct stat st {};
    if (::lstat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid()) continue;
    bool old = now - st.st_mtim.tv_sec > 600;
    bool orphaned = withPid && pid > 0 && pid != ::getpid() && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
    if (old || orphaned) ::unlink(full.c_str());
  }
  ::closedir(d);
}

}  // namespace tfmend
