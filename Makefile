# sentinel - top-level entry points. `make test` and `make demo` work on a fresh machine:
# they install what is missing first (scripts/install-deps.sh).
BUILD      ?= build
ASAN_BUILD ?= build-asan
BUILD_TYPE ?= RelWithDebInfo
PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_ARGS ?= --output-on-failure --timeout 300

.PHONY: all deps build build-asan install test test-fast test-asan demo bench fuzz format clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_ARGS)
	cmake --build $(BUILD) -j$(JOBS)

# The binary to $(PREFIX)/bin/sentinel (DESTDIR is honoured); only this target installs.
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# clang's UBSan also reports pointer arithmetic on NULL, which gcc's does not
build-asan: deps
	CC=clang cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSENTINEL_SANITIZE=ON $(CMAKE_ARGS)
	cmake --build $(ASAN_BUILD) -j$(JOBS)

# The whole suite, then the whole suite again under ASan+UBSan.
test: test-fast test-asan

test-fast: build
	ctest --test-dir $(BUILD) $(CTEST_ARGS) -j$(JOBS)

test-asan: build-asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --test-dir $(ASAN_BUILD) $(CTEST_ARGS) -j$(JOBS) -LE bench

demo: build
	@examples/demo.sh $(BUILD)/bin/sentinel

bench: build
	bench/run.sh

fuzz: deps
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DSENTINEL_FUZZ=ON -DSENTINEL_SANITIZE=ON
	cmake --build build-fuzz -j$(JOBS)

format:
	clang-format -i $$(git ls-files 'interceptor/*.c' 'interceptor/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
