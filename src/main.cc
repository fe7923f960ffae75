#include "cli.h"

int main(int argc, char** argv) { return tfmend::runCli(argc, argv); }
