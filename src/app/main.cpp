#include <sys/stat.h>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
    ::umask(077);  // everything Haven writes (database, WAL, vault, logs it opens) is for its own account only
    return haven::cli::run(argc, argv);
}
