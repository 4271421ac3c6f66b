# SPDX-License-Identifier: GPL-2.0
# khcl front door. (The kernel build reads Kbuild, not this file.)
#   make            build every role: kernels, modules, initramfs images
#   make run        boot the two-VM rig (setup and build when needed): the
#                   test guest makes a file system on its disk behind khcl,
#                   writes and reads it back; a summary of vtl2's counters
#   make test       every test; ends with "N passed, N failed"
#   make setup      install host packages (apt)
#   make fuzz       libFuzzer campaign over the protocol cores
#   make test-harness  the test harness's own tests (make test runs them)
#   make bench      the JSON lines of shared/BENCH.md (vmbus.echo,
#                   vtl2.memory, storage.*, net.*); make bench-storage,
#                   make bench-net: one part only
#   make bench-profile  perf in vtl2 on the storage workloads (text)
#   make bench-profile-net  the same on the network workloads
#   make bench-profile-guest  perf in the test guest, khcl and hostpv storage
#   make bench-profile-guest-net  the same on the network workloads
ROLES ?= vtl2 rig debug testguest

all: build

setup:
	bash scripts/setup.sh

build: setup
	bash scripts/build.sh $(ROLES)

run: setup
	@for r in rig testguest; do [ -f out/$$r/initramfs.img ] || \
		bash scripts/build.sh $$r || exit 1; done
	bash scripts/run.sh $(RIG_ARGS)

test: build
	bash scripts/test.sh

test-harness: build
	bash scripts/test-harness.sh

bench: build
	@bash scripts/bench.sh

bench-storage: build
	@bash scripts/bench.sh storage

bench-net: build
	@bash scripts/bench.sh net

# where vtl2's CPU goes on the storage path (perf in vtl2; text, not JSON)
bench-profile: build
	@bash scripts/bench.sh profile

bench-profile-net: build
	@bash scripts/bench.sh profile-net

# where the test guest's CPU goes on the khcl and hostpv storage paths
bench-profile-guest: build
	@bash scripts/bench.sh profile-guest

bench-profile-guest-net: build
	@bash scripts/bench.sh profile-guest-net

# libFuzzer campaign over the protocol cores, FUZZ_SECONDS per target
FUZZ_SECONDS ?= 300
fuzz: setup
	$(MAKE) -C kunit/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)

clean:
	rm -rf out kunit/userspace/build kunit/fuzz/build

.PHONY: all setup build run test test-harness bench bench-storage bench-net bench-profile bench-profile-net bench-profile-guest bench-profile-guest-net fuzz clean
