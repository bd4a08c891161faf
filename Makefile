# The two set-up commands (see README):
#   make demo   install missing Debian packages, build, run the demo on examples/data
#   make test   install missing Debian packages, build, run every test
# Both are idempotent. Other targets: build, asan, bench, clean.

APT_PACKAGES := build-essential cmake ninja-build pkg-config git \
  librocksdb-dev libprotobuf-dev protobuf-compiler libabsl-dev libfmt-dev \
  libgtest-dev libgmock-dev libbenchmark-dev libicu-dev libssl-dev libjemalloc-dev \
  pybind11-dev python3-dev python3-pytest python3-protobuf python3-pandas \
  python3-matplotlib clang libclang-rt-14-dev

PRESET ?= release
BUILD_DIR := build/$(PRESET)
JOBS ?= $(shell nproc)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps configure build demo test asan bench clean

deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing missing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "make: all $(words $(APT_PACKAGES)) Debian packages already installed"; \
	fi

configure: deps
	cmake --preset $(PRESET)

build: configure
	cmake --build --preset $(PRESET) -j $(JOBS)

demo: build
	bash examples/demo.sh $(BUILD_DIR)

test: build
	ctest --preset $(PRESET) -j $(JOBS)

asan:
	$(MAKE) test PRESET=asan

bench: build
	bash bench/e2e/run.sh $(BUILD_DIR)
	/usr/bin/python3 bench/e2e/plot.py

clean:
	rm -rf build
