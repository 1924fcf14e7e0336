# vdsogen — build the tool and the default vDSO image.
#
#   make          set up what is missing, build the tool (release), the default x86-64 image into
#                 out/ and every architecture's image into out/<arch>/ (make ARCH=aarch64: just one)
#   make test     run the unit tests (swift test) and the end-to-end harness
#   make clean    remove out/ and the Swift build directories
#   make test-realworld  download Linux's own vDSO images (Debian's kernel debug packages, User-mode
#                 Linux, gVisor, the running kernel) into a cache outside the tree and check each
#                 one under --profile linux; not part of `make test` (Docs/realworld.md)
#
# V=1 prints every command. SWIFT, CLANG and friends may be overridden on the command line.

SHELL        := /bin/bash
OUT          ?= out
SWIFT        ?= swift
V            ?= 0
export V

# The Swift toolchain ships clang 21 and ld.lld beside swift; prefer them to Debian's older clang.
SWIFT_BIN    := $(dir $(realpath $(shell command -v $(SWIFT) 2>/dev/null)))
ifneq ($(SWIFT_BIN),)
export PATH  := $(SWIFT_BIN):$(PATH)
endif

# Debian packages the build and the tests need. PACKAGE:COMMAND is satisfied by COMMAND on PATH
# however it was installed (rustup, go.dev); a bare PACKAGE by the package itself. Every package a
# test's skip message names is here (Tests/ci/fresh-machine.sh checks it), so that `make` on a
# fresh machine installs what `make test` runs, and nothing is skipped for want of a package.
APT_PACKAGES := libelf-dev libdw-dev elfutils pkg-config binutils binutils-s390x-linux-gnu gcc qemu-user-static \
                libc6-dev-arm64-cross libgcc-12-dev-arm64-cross gcc-aarch64-linux-gnu:aarch64-linux-gnu-gcc \
                gcc-riscv64-linux-gnu:riscv64-linux-gnu-gcc libc6-dev-riscv64-cross libc6-dev libc6-dev-i386 lib32gcc-12-dev zlib1g-dev liblzma-dev libbz2-dev libzstd-dev \
                musl-tools:musl-gcc golang-go:go rustc:rustc python3:python3 mandoc:mandoc \
                qemu-system-x86:qemu-system-x86_64 qemu-system-arm:qemu-system-aarch64
# test-selftests alone: Linux's vDSO selftests come from linux-source's tarball, their i386 build
# needs the 32-bit libc and libgcc (not gcc-multilib, which conflicts with the cross compilers).
SELFTEST_APT_PACKAGES := linux-source-6.12 linux-source-6.1 libc6-dev-i386 lib32gcc-12-dev
MANIFEST     := kernel-vdso/arch/x86_64/vdso.toml
# The tool is one static executable (the Swift runtime, libelf, libdw and their compression
# libraries linked in), so that out/bin/vdsogen and `make dist`'s archive run on a machine without
# Swift; libdw's static archive needs bz2, lzma and z after it. The build-id identifies this very
# vdsogen in a build's key without reading its 30 MB back (ToolIdentity).
SWIFT_STATIC := --static-swift-stdlib -Xswiftc -static-executable -Xlinker -lbz2 -Xlinker -llzma -Xlinker -lz \
                -Xlinker --build-id=sha1
# Every architecture with a default image; ARCH=<arch> on the command line builds and tests one.
ifeq ($(origin ARCH),command line)
ARCHES       := $(ARCH)
else
ARCHES       := x86_64 i386 aarch64 riscv64 arm
endif
VDSOGEN      := $(OUT)/bin/vdsogen


ifeq ($(V),1)
Q :=
else
Q := @
endif

LOADER       := $(OUT)/bin/vdso-run
LOADER_SRCS  := $(wildcard Sources/vdso-run/*.c) kernel-vdso/host/timekeeper.c kernel-vdso/host/steering.c kernel-vdso/host/elf_lookup.c kernel-vdso/host/qemu_counter.c \
                kernel-vdso/host/clocksource.c kernel-vdso/host/rng.c kernel-vdso/kernel/timekeeping.c
LOADER_HDRS  := $(wildcard Sources/vdso-run/*.h) $(wildcard kernel-vdso/host/*.h) kernel-vdso/kernel/timekeeping.h \
                kernel-vdso/include/vdso/datapage.h kernel-vdso/include/vdso/writer.h
# Its 32-bit half, for ELF32 i386 programs (Sources/vdso-run/compat32/main32.c): static-pie, linked
# by ld.bfd (lld's i386 static-pie crashes in glibc's self-relocation) against Debian's i386 libc
# (libc6-dev-i386, lib32gcc-12-dev); the uapi <asm/*.h> are the x86-64 package's, which serve both.
LOADER32     := $(OUT)/bin/vdso-run32
LOADER32_SRCS := $(wildcard Sources/vdso-run/compat32/*.c) $(addprefix Sources/vdso-run/,elf_load.c stack.c map.c message.c) \
                kernel-vdso/host/elf_lookup.c
# The loaders qemu-user runs for a program of another architecture (Sources/vdso-run/guest/,
# started by vdso-run's foreign.c): static-pie for that architecture, by Debian's cross gcc, the
# writer and its timekeeper included (they read the guest's counter). Debian's riscv64 cross glibc
# has no rcrt1.o (no static-pie): that loader is static at 1.75 GiB, above where programs link.
GUEST_ARCHES := aarch64 riscv64
GUEST_CC_aarch64 := aarch64-linux-gnu-gcc
GUEST_LINK_aarch64 := -static-pie
GUEST_CC_riscv64 := riscv64-linux-gnu-gcc
GUEST_LINK_riscv64 := -static -Wl,-Ttext-segment=0x70000000
GUEST_LOADERS := $(addprefix $(OUT)/bin/vdso-run-,$(GUEST_ARCHES))
GUEST_SRCS   := Sources/vdso-run/guest/main_guest.c \
                $(addprefix Sources/vdso-run/,elf_load.c stack.c map.c message.c data.c writer.c coarse_tick.c kernel_side.c) \
                kernel-vdso/host/timekeeper.c kernel-vdso/host/steering.c kernel-vdso/host/qemu_counter.c kernel-vdso/host/clocksource.c \
                kernel-vdso/host/rng.c kernel-vdso/kernel/timekeeping.c

# The driver of a kernel side of the user's own (`run --kernel-side FILE.c` links FILE.c with it
# into a writer program, Docs/run.md): one relocatable object with the timekeeper, and the header
# FILE.c includes, in $(OUT)/lib/vdso-run/ where `run` looks for them beside the loader.
KSIDE_DIR    := $(OUT)/lib/vdso-run
KSIDE_DRIVER := $(KSIDE_DIR)/kernel-side-driver.o
KSIDE_HEADER := $(KSIDE_DIR)/include/vdso/kernel_side.h
KSIDE_SRCS   := Sources/vdso-run/kernel-side-driver/driver.c kernel-vdso/host/timekeeper.c kernel-vdso/host/steering.c kernel-vdso/host/qemu_counter.c \
                kernel-vdso/host/clocksource.c kernel-vdso/kernel/timekeeping.c
.PHONY: all print-apt-packages deps tool loader image arches man test unit-test e2e-test kernel-side-test boot-test qemu-test run-test run-foreign-test ci-test arch-test example-test custom-abi-test plugin-test getrandom-test reliability-test fuzz fuzz-structure stress bench clean test-realworld \
        test-selftests deps-selftests

all: image arches man

# The package list, one a line, for scripts (Tests/ci/fresh-machine.sh, .ci/run).
print-apt-packages:
	@for e in $(APT_PACKAGES); do echo "$${e%%:*}"; done

# Installs missing Debian packages when run as root; otherwise prints the exact command.
deps:
	$(Q)missing=""; \
	for e in $(APT_PACKAGES); do \
	  p=$${e%%:*}; c=$${e#*:}; \
	  if [ "$$c" != "$$e" ] && command -v "$$c" >/dev/null 2>&1; then continue; fi; \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "  APT    $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "missing Debian packages; run: sudo apt-get install -y$$missing" >&2; exit 1; \
	  fi; \
	fi
	$(Q)command -v $(SWIFT) >/dev/null || { echo "swift not found: install a Swift 6 toolchain (swift.org) and put it on PATH" >&2; exit 1; }
	$(Q)command -v clang >/dev/null || { echo "clang not found: use the one beside swift, or run: apt-get install clang" >&2; exit 1; }
	$(Q)command -v ld.lld >/dev/null || { echo "ld.lld not found: use the one beside swift, or run: apt-get install lld" >&2; exit 1; }

tool: deps
	@echo "  SWIFT   $(VDSOGEN)"
	@# glibc's linker notes on getpwnam & co. (FoundationEssentials has them; vdsogen never calls
	@# them) are the expected cost of a static executable, and dropped from the log.
	$(Q)out=$$($(SWIFT) build -c release --product vdsogen $(SWIFT_STATIC) $(if $(filter 1,$(V)),,--quiet) 2>&1) \
	  || { printf '%s\n' "$$out"; exit 1; }; printf '%s\n' "$$out" | grep -v -e 'in statically linked applications requires' -e 'is dangerous, better use' -e '^$$' || true
	$(Q)mkdir -p $(OUT)/bin
	$(Q)install -m 755 "$$($(SWIFT) build -c release $(SWIFT_STATIC) --show-bin-path)/vdsogen" $(VDSOGEN)

# The program loader behind `vdsogen run`: C, static-pie so it carries no libc.so of its own
# into the address space it hands to the program.
loader: $(LOADER) $(LOADER32) $(GUEST_LOADERS) $(KSIDE_DRIVER) $(KSIDE_HEADER)
$(LOADER): $(LOADER_SRCS) $(LOADER_HDRS) | deps
	@echo "  CC      $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)clang -std=gnu11 -O2 -g -Wall -Wextra -Werror -pthread -static-pie -fuse-ld=lld \
	  -Ikernel-vdso/include -Ikernel-vdso/host -Ikernel-vdso/kernel $(LOADER_SRCS) -lm -o $@
$(LOADER32): $(LOADER32_SRCS) $(LOADER_HDRS) | deps
	@echo "  CC      $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)clang -m32 -std=gnu11 -O2 -g -Wall -Wextra -Werror -static-pie -fuse-ld=bfd \
	  -ISources/vdso-run -Ikernel-vdso/include -Ikernel-vdso/host -idirafter /usr/include/x86_64-linux-gnu \
	  $(LOADER32_SRCS) -o $@
$(OUT)/bin/vdso-run-%: Sources/vdso-run/guest/arch_%.c $(GUEST_SRCS) $(LOADER_HDRS) | deps
	@echo "  CC      $@"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(GUEST_CC_$*) -std=gnu11 -O2 -g -Wall -Wextra -Werror -pthread $(GUEST_LINK_$*) \
	  -ISources/vdso-run -Ikernel-vdso/include -Ikernel-vdso/host -Ikernel-vdso/kernel $< $(GUEST_SRCS) -lm -o $@

$(KSIDE_DRIVER): $(KSIDE_SRCS) $(LOADER_HDRS) kernel-vdso/include/vdso/kernel_side.h | deps
	@echo "  CC      $@"
	$(Q)mkdir -p $(dir $@)/obj
	$(Q)for s in $(KSIDE_SRCS); do clang -std=gnu11 -O2 -Wall -Wextra -Werror -fPIE -c -Ikernel-vdso/include \
	  -Ikernel-vdso/host -Ikernel-vdso/kernel $$s -o $(dir $@)/obj/$$(basename $${s%.c}).o || exit 1; done
	$(Q)ld.lld -r $(addprefix $(dir $@)/obj/,$(notdir $(KSIDE_SRCS:.c=.o))) -o $@ && rm -rf $(dir $@)/obj
$(KSIDE_HEADER): kernel-vdso/include/vdso/kernel_side.h
	$(Q)mkdir -p $(dir $@) && cp $< $@

# The man page, generated from the same declarations as `vdsogen help` (swift-argument-parser's
# generate-manual), dated by the last commit so that it is reproducible.
MAN_DATE     := $(shell git log -1 --format=%cs 2>/dev/null || date -u +%F)
man: tool
	@echo "  MAN     $(OUT)/share/man/man1/vdsogen.1"
	$(Q)$(SWIFT) build -c release $(SWIFT_STATIC) --product generate-manual $(if $(filter 1,$(V)),,--quiet)
	$(Q)mkdir -p $(OUT)/share/man/man1
	$(Q)"$$($(SWIFT) build -c release $(SWIFT_STATIC) --show-bin-path)/generate-manual" $(VDSOGEN) \
	  --date $(MAN_DATE) --authors "the vdsogen developers" --output-directory $(OUT)/share/man/man1
	$(Q)$(VDSOGEN) --experimental-dump-help | python3 tools/man-tidy.py $(OUT)/share/man/man1/vdsogen.1

image: tool loader
	$(Q)$(VDSOGEN) build $(MANIFEST) --output-dir $(OUT)

# Each architecture's default image into out/<arch>/.
arches: tool
	$(Q)for a in $(ARCHES); do $(VDSOGEN) build kernel-vdso/arch/$$a/vdso.toml --output-dir $(OUT)/$$a || exit 1; done

test: image arches unit-test e2e-test kernel-side-test boot-test qemu-test run-test run-foreign-test ci-test getrandom-test arch-test example-test custom-abi-test plugin-test reliability-test dist-test

unit-test: deps
	$(Q)$(SWIFT) test

e2e-test: image
	$(Q)Tests/e2e/run.sh $(OUT)

# The kernel side a kernel embeds (kernel-vdso/kernel/): its timekeeper against the default image.
kernel-side-test: image
	$(Q)Tests/kernel-side/run.sh $(OUT)

# emit --qemu: the .c.inc compiled against a shim of QEMU's VdsoImageInfo, and QEMU's relocation
# loop applied to a copy of each image (Docs/embedding.md, QEMU linux-user).
qemu-test: tool image arches
	$(Q)Tests/qemu/test.sh $(VDSOGEN) $(OUT) $(ARCHES)

# The default images inside a kernel: tiny kernels that embed them through vdsogen.mk, boot under
# QEMU, and run a ring-3 program that calls every routine (examples/boot/*/README.md). Two boots
# each, so that the image's randomised address is seen to change.
boot-test: image
	$(Q)$(MAKE) --no-print-directory -C examples/boot/x86_64 qemu-twice VDSOGEN=$(abspath $(VDSOGEN))
	$(Q)$(MAKE) --no-print-directory -C examples/boot/aarch64 qemu-twice qemu-bti qemu-gp-fault VDSOGEN=$(abspath $(VDSOGEN))

run-test: image arches loader
	$(Q)FOLLOW_EXEC=seccomp Tests/run/run-tests.sh $(LOADER) $(OUT)/vdso.so
	$(Q)FOLLOW_EXEC=seccomp Tests/run/follow-exec.sh $(VDSOGEN) $(OUT)/vdso.so
	$(Q)FOLLOW_EXEC=event Tests/run/run-tests.sh $(LOADER) $(OUT)/vdso.so
	$(Q)FOLLOW_EXEC=event Tests/run/follow-exec.sh $(VDSOGEN) $(OUT)/vdso.so

# Programs of another architecture under run: cross-built, started by qemu-user with vdso-run-ARCH.
run-foreign-test: image arches loader
	$(Q)$(if $(filter $(GUEST_ARCHES),$(ARCHES)),Tests/run/foreign.sh $(VDSOGEN) $(OUT) $(filter $(GUEST_ARCHES),$(ARCHES)),true)

# A fresh machine and CI: make deps installs what every test needs, a skip fails under CI=true.
ci-test: image
	$(Q)Tests/ci/fresh-machine.sh $(LOADER) $(OUT)/vdso.so

# __vdso_getrandom: RFC 8439 vectors inside the image, re-keying, fallbacks, threads.
# x86-64 directly and under the loader; arm64 cross-built, under qemu-aarch64-static. Each also
# built with -DVDSO_CHACHA20_PORTABLE (the C ChaCha20 other architectures use, in place of the
# SSE2/NEON assembly) into $(OUT)/portable-chacha/<arch> and tested the same way.
PORTABLE_CHACHA := $(OUT)/portable-chacha
getrandom-test: image arches loader
	$(Q)Tests/getrandom/run.sh $(OUT) $(LOADER)
	$(Q)$(if $(filter aarch64,$(ARCHES)),Tests/getrandom/run.sh $(OUT)/aarch64,true)
	$(Q)for a in x86_64 $(filter aarch64,$(ARCHES)); do \
	  $(VDSOGEN) build kernel-vdso/arch/$$a/vdso.toml --cflag -DVDSO_CHACHA20_PORTABLE \
	    --output-dir $(PORTABLE_CHACHA)/$$a --quiet && Tests/getrandom/run.sh $(PORTABLE_CHACHA)/$$a || exit 1; \
	done

# Each architecture's image executed for real (qemu-user for foreign ones), and the i386 and
# x86-64 headers linked into one program as an x86-64 kernel needs.
arch-test: arches
	$(Q)for a in $(filter-out x86_64,$(ARCHES)); do Tests/arch/run.sh $$a $(OUT)/$$a || exit 1; done
	$(Q)if [ -d $(OUT)/i386 ] && [ -d $(OUT)/x86_64 ]; then VDSOGEN=$(VDSOGEN) Tests/arch/both-x86.sh $(OUT)/x86_64 $(OUT)/i386; fi

# The Make fragment, used the way a kernel would: two images embedded in one program.
# (and the pre-commit hook and the man page, as a user would meet them).
example-test: image man
	$(Q)$(MAKE) --no-print-directory -C examples/kernel run VDSOGEN=$(abspath $(VDSOGEN))
	$(Q)VDSOGEN=$(VDSOGEN) OUT=$(OUT) examples/ci/pre-commit-hook.sh && echo "ok - pre-commit hook accepts the default image"
	$(Q)grep -q '^\.Nm vdsogen' $(OUT)/share/man/man1/vdsogen.1 && grep -q 'install-debug' $(OUT)/share/man/man1/vdsogen.1 \
	  && echo "ok - man page generated with every subcommand"
	$(Q)mandoc -T lint -W warning $(OUT)/share/man/man1/vdsogen.1 && grep -q '(default: out)' $(OUT)/share/man/man1/vdsogen.1 \
	  && echo "ok - man page: no mdoc warning (mandoc -T lint), option defaults shown"

# A vDSO of its own data-page ABI ("myos-1") under `run --kernel-side` with its own writer, and
# the refusals around it (examples/custom-abi/README.md).
custom-abi-test: image loader
	$(Q)$(MAKE) --no-print-directory -C examples/custom-abi test VDSOGEN=$(abspath $(VDSOGEN)) BUILD=$(abspath $(OUT))/custom-abi \
	  DEFAULT_IMAGE=$(abspath $(OUT))/vdso.so

# A release archive a C-only repository can vendor (Tests/dist/make-dist.sh), and the test that
# makes it twice (the same bytes) and runs it from an empty directory without Swift on PATH.
.PHONY: dist dist-test
dist: image man
	@echo "  DIST    $$(Tests/dist/make-dist.sh $(OUT))"
dist-test: image man
	$(Q)Tests/dist/test.sh $(OUT)

# The SwiftPM build-tool plugin, from a consumer package laid out beside this checkout.
plugin-test: deps
	$(Q)Tests/plugin-package/run.sh $(abspath $(OUT))/plugin-test

# Short forms of the reliability work: the seqlock under a fast writer (10^6 calls; `make stress`
# makes it 10^8) and kill -9 of build and emit at random moments, 100 times.
reliability-test: image
	$(Q)Tests/stress/run.sh $(OUT) --short
	$(Q)Tests/reliability/kill-test.sh $(VDSOGEN) 100

stress: image loader
	$(Q)Tests/stress/run.sh $(OUT)
	$(Q)Tests/run/writer-kill.sh $(VDSOGEN) $(OUT)/vdso.so 60

# Linux's own vDSO selftests (tools/testing/selftests/vDSO), built unmodified for x86-64 and i386
# from linux-source into SELFTESTS_CACHE, each run under `vdsogen run` (Docs/selftests.md).
SELFTESTS_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/vdsogen/selftests
deps-selftests:
	$(Q)$(MAKE) --no-print-directory deps APT_PACKAGES="$(SELFTEST_APT_PACKAGES)"

test-selftests: image arches loader deps-selftests
	$(Q)VDSOGEN_SELFTESTS_CACHE=$(SELFTESTS_CACHE) Tests/selftests/run.sh $(VDSOGEN) $(OUT)/vdso.so \
	  $(if $(filter i386,$(ARCHES)),$(OUT)/i386/vdso.so,"") $(if $(filter aarch64,$(ARCHES)),$(OUT)/aarch64/vdso.so)
	$(Q)Tests/linux-x86/check-struct.sh 6.12
	$(Q)Tests/linux-x86/check-struct.sh 6.1

# Real images no one here wrote: fetched into a cache (REALWORLD_CACHE; hundreds of MB on the
# first run), then each checked under --profile linux. REALWORLD_TABLE=FILE also writes the table.
REALWORLD_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/vdsogen/realworld
test-realworld: tool
	$(Q)VDSOGEN_REALWORLD_CACHE=$(REALWORLD_CACHE) Tests/realworld/fetch.sh
	$(Q)VDSOGEN_REALWORLD_CACHE=$(REALWORLD_CACHE) Tests/realworld/run.sh --vdsogen $(VDSOGEN) \
	  $(if $(REALWORLD_TABLE),--table $(REALWORLD_TABLE))
	$(Q)for h in $(REALWORLD_CACHE)/sources/*/vdso.h; do \
	  v=$$(basename $$(dirname $$h)); [ -d Tests/linux-x86/shim-$$v ] && { Tests/linux-x86/check-struct.sh $$v $$h || exit 1; }; done; true

# libFuzzer with AddressSanitizer over the ELF reader and every rule (Docs/reliability.md).
FUZZ_SECONDS ?= 300
fuzz:
	$(Q)Tests/fuzz/run.sh $(FUZZ_SECONDS)

# The long form of the boundary sweep: the same campaign with the structure-aware mutator
# (Sources/VDSOFieldMutator), seeded with the default images (Docs/reliability.md).
fuzz-structure: image arches
	$(Q)FUZZ_STRUCTURE=1 Tests/fuzz/run.sh $(FUZZ_SECONDS)

# Benchmarks against the real thing, as ratios (results and commands: BENCHMARKS.md).
bench: image
	$(Q)python3 Tests/bench/bench.py $(OUT)

clean:
	rm -rf $(OUT) .build .build-* examples/kernel/build examples/custom-abi/build examples/boot/*/build

# Docs/rules.md's generated block: the rule registry as `vdsogen check --list-rules` prints it.
# A unit test (DocsTests) fails when the file is stale.
.PHONY: docs
docs: tool
	@echo "  DOCS    Docs/rules.md"
	$(Q)$(VDSOGEN) check --list-rules > $(OUT)/rules.md.block
	$(Q)awk -v block=$(OUT)/rules.md.block \
	  'index($$0, "<!-- BEGIN RULES") == 1 { print; while ((getline l < block) > 0) print l; skip = 1; next } \
	   index($$0, "<!-- END RULES") == 1 { skip = 0 } !skip' Docs/rules.md > Docs/rules.md.tmp
	$(Q)mv Docs/rules.md.tmp Docs/rules.md && rm -f $(OUT)/rules.md.block

# vdsogen-manifest(5), the manifest format: written by hand (generate-manual knows only the
# commands), dated like vdsogen(1).
.PHONY: manifest-man
man: manifest-man
manifest-man:
	@echo "  MAN     $(OUT)/share/man/man5/vdsogen-manifest.5"
	$(Q)mkdir -p $(OUT)/share/man/man5
	$(Q)sed "s/^\.Dd .*/.Dd $$(date -u -d $(MAN_DATE) '+%B %-d, %Y')/" Docs/man/vdsogen-manifest.5 \
	  > $(OUT)/share/man/man5/vdsogen-manifest.5

# Style as a tool (.swift-format). `make lint` fails on any rule finding of swift-format (naming,
# imports, force casts, ...); the pretty printer's layout findings are listed by count but not
# enforced, since the tree predates the configuration: `make format` lays out the Swift files
# changed since HEAD (or FORMAT_FILES="..."), so files converge as they are edited, without one
# mass reformat. The hand-written man page is linted with mandoc when it is installed.
SWIFT_FORMAT    ?= swift-format
LINT_PATHS      := Sources Tests Plugins Package.swift
LAYOUT_FINDINGS := \[(AddLines|RemoveLine|Indentation|LineLength|Spacing|TrailingComma)\]
FORMAT_FILES    ?= $(shell git diff --name-only --diff-filter=d HEAD -- '*.swift' 2>/dev/null; \
                     git ls-files --others --exclude-standard -- '*.swift' 2>/dev/null)
.PHONY: lint format
lint:
	@echo "  LINT    $(LINT_PATHS)"
	$(Q)out=$$($(SWIFT_FORMAT) lint --strict --parallel --no-color-diagnostics -r $(LINT_PATHS) 2>&1); status=$$?; \
	diags=$$(printf '%s\n' "$$out" | grep -E ': (warning|error): '); \
	rules=$$(printf '%s\n' "$$diags" | grep -vE '$(LAYOUT_FINDINGS)' | grep .); \
	if [ -n "$$rules" ]; then printf '%s\n' "$$rules" >&2; echo "lint: $$(printf '%s\n' "$$rules" | wc -l) swift-format findings (see .swift-format)" >&2; exit 1; fi; \
	if [ $$status -ne 0 ] && [ -z "$$diags" ]; then printf '%s\n' "$$out" >&2; echo "lint: swift-format failed (exit $$status)" >&2; exit 1; fi; \
	layout=$$(printf '%s\n' "$$diags" | grep -cE '$(LAYOUT_FINDINGS)'); \
	[ "$$layout" = 0 ] || echo "  LINT    $$layout layout findings not enforced (make format lays out changed files)"
	$(Q)if command -v mandoc >/dev/null; then mandoc -T lint -W warning Docs/man/vdsogen-manifest.5; fi

format:
	$(if $(strip $(FORMAT_FILES)),@echo "  FORMAT  $(strip $(FORMAT_FILES))",@echo "  FORMAT  no Swift file changed since HEAD (FORMAT_FILES=\"...\" names files)")
	$(if $(strip $(FORMAT_FILES)),$(Q)$(SWIFT_FORMAT) format --in-place $(FORMAT_FILES))
