# pie — the two commands a fresh Debian machine with the Swift toolchain needs:
#   make demo   install what is missing, build release, run the main job
#   make test   install what is missing, build, run every test
SWIFT ?= swift
# No $ORIGIN runpath (the loader would search the build folder's hwcaps subfolders for every
# library) and no exported symbol table (the runtime's start-up dladdr scans it): ~1 ms of start-up.
RELEASE_FLAGS = -c release --static-swift-stdlib --disable-local-rpath -Xlinker --no-export-dynamic
RELEASE_BIN = .build/release/pie

.PHONY: all deps build test release serve demo bench clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product pie
	$(SWIFT) build $(RELEASE_FLAGS) --product pie-sandbox-init

# The automation daemon `pie automations serve` execs (it links the HTTP server, so it is built
# apart from pie: several minutes the first time).
serve: release
	$(SWIFT) build $(RELEASE_FLAGS) --product pie-serve

demo: release
	@scripts/demo.sh $(RELEASE_BIN)

bench: deps
	@BENCH=1 scripts/install-deps.sh
	$(SWIFT) build $(RELEASE_FLAGS) --product pie
	$(SWIFT) build $(RELEASE_FLAGS) --product PieBench
	$(SWIFT) build $(RELEASE_FLAGS) --product pie-sandbox-init
	$(SWIFT) build $(RELEASE_FLAGS) --product pie-serve
	@scripts/bench.sh

clean:
	rm -rf .build
