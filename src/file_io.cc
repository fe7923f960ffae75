#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "tfmend/file_io.h"

namespace tfmend {

Result<std::string> readInput(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Error{path + ": cannot read: " + std::strerror(errno)};
  if (S_ISDIR(st.st_mode)) return Error{path + ": cannot read: is a directory"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": cannot read: " + std::strerror(errno)};
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Error{path + ": cannot read: " + std::strerror(errno)};
  return text;
}

Status writeAtomically(const std::string& path, const std::string& content) {
  auto fail = [&](const std::string& what, const std::string& tmp) -> Status {
    std::string message = path + ": cannot write: " + what + ": " + std::strerror(errno);
    if (!tmp.empty()) ::unlink(tmp.c_str());
    return Error{message};
  };
  struct stat st {};
  mode_t mode = 0644;
  if (::stat(path.c_str(), &st) == 0) mode = st.st_mode & 07777;
  std::string tmpl = path + ".tfmend-XXXXXX";
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return fail("cannot create a temporary file", "");
  std::size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return fail("write", tmpl);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) {
    ::close(fd);
    return fail("fsync", tmpl);
  }
  if (::close(fd) != 0) return fail("close", tmpl);
  if (::rename(tmpl.c_str(), path.c_str()) != 0) return fail("rename", tmpl);
  // Make the rename itself durable.
  std::string dir = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/'));
  if (dir.empty()) dir = "/";
  if (int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return okStatus();
}

}  // namespace tfmend
