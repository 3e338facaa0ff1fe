# The two commands of the README, and a few more. Every target installs what it lacks first.
.PHONY: run test build deps unit asan e2e fuzz bench clean layers package package-test

BUILD := build
# ccache keys on paths relative to the checkout, so a fresh clone elsewhere (CI) reuses what another compiled.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
export CCACHE_MAXSIZE := 20G

deps:
	@./scripts/install-deps

$(BUILD)/build.ninja:
	cmake --preset release >/dev/null

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD)

# Serves http://127.0.0.1:8080 from ./var (created on the first run). Plain HTTP on loopback, so
# cookies are not marked Secure here; a real deployment sits behind TLS with the default secure-cookies.
# On the first run it also creates the vault (printing the unseal passphrase, kept in var/unseal-passphrase
# for this demo only), a demo site, and a one-time enrolment link for the first administrator.
run: build
	@if [ ! -d var ]; then \
	    ./$(BUILD)/haven init --data var && \
	    ./$(BUILD)/haven site add --data var --passphrase-file var/unseal-passphrase --name Paris --city Paris --country France --time-zone Europe/Paris && \
	    ./$(BUILD)/haven user add --data var --passphrase-file var/unseal-passphrase --name admin --role administrator --site Paris --base-url http://127.0.0.1:8080; \
	fi
	./$(BUILD)/haven serve --data var --listen 127.0.0.1:8080 --secure-cookies false --passphrase-file var/unseal-passphrase

# The layer check, then unit, storage (SQLite and PostgreSQL), integration, crash and e2e tests.
test: build
	./scripts/run-tests $(BUILD)

# Only the layer check and its own test, and the format check (also run by `make test`): what may appear
# where (scripts/check-layers), and the tree as .clang-format writes it (scripts/check-format).
layers:
	/usr/bin/python3 scripts/check-layers --self-test
	/usr/bin/python3 scripts/check-layers
	./scripts/check-format

# Unit, storage and in-process server tests under AddressSanitizer and UndefinedBehaviorSanitizer
# (SQLite only: the release run covers PostgreSQL).
asan: deps
	cmake --preset debug >/dev/null
	cmake --build build-asan --target haven haven_unit_tests haven_storage_tests haven_integration_tests
	LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp ./build-asan/tests/haven_unit_tests
	LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp HAVEN_TEST_SKIP_PG=1 ./build-asan/tests/haven_storage_tests
	LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp HAVEN_TEST_SKIP_PG=1 ./build-asan/tests/haven_integration_tests

e2e: build
	./scripts/run-tests $(BUILD) e2e

FUZZ_SECONDS ?= 30
fuzz: deps
	cmake --preset fuzz >/dev/null
	cmake --build build-fuzz --target fuzzers
	./scripts/run-fuzzers build-fuzz $(FUZZ_SECONDS)

bench: build
	./scripts/run-tests $(BUILD) bench

# The Debian package (cmake/packaging.cmake): build/haven_VERSION_amd64.deb with the stripped binaries, the
# systemd units and the docs, and build/haven-dbgsym_VERSION_amd64.ddeb with their debug symbols.
package: build
	cd $(BUILD) && cpack -G DEB
	@version=$$(sed -n 's/^project(haven VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt); \
	for f in $(BUILD)/haven_$${version}_amd64.deb $(BUILD)/haven-dbgsym_$${version}_amd64.ddeb; do \
	    printf '%s\t%s bytes\t(%s)\n' "$$f" "$$(stat -c %s "$$f")" "$$(du -h "$$f" | cut -f1)"; \
	done

# Builds the package, installs it with apt (as root), serves through nginx+TLS, backs up, restores, purges
# (scripts/test-package; also the last step of `make test`).
package-test: build
	./scripts/test-package $(BUILD)

clean:
	rm -rf build build-asan build-fuzz
