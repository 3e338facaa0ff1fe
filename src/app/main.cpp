#include "cli/cli.hpp"

int main(int argc, char** argv) { return haven::cli::run(argc, argv); }
