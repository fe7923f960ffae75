#pragma once
/// The command line: `tfmend check|fix|rules|explain`.

namespace tfmend {

/// Runs tfmend with these arguments; returns the exit code (0 clean, 1
/// findings, 2 usage or input error).
int runCli(int argc, char** argv);

}  // namespace tfmend
