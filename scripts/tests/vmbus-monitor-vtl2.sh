#!/bin/sh
# vtl2 side of the VMBus rig runs (--vtl2-background): every few seconds,
# the server's state, counters and channels, so the last block before the
# rig stops shows what the guest's run did to them.
# debug kernel: the server's control and channel tracepoints, shown at
# the end of each block (not the per-request ones: two events a packet
# would make every block slower than the run it watches)
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh
monitor_blocks
