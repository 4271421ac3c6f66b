#!/usr/bin/env python3
"""A VTL0 reset, as the rig does it (rig.sh, when the test guest rebooted).

  mbox-reset.py MAILBOX_FILE [TIMEOUT_S]

On Hyper-V the host tells the paravisor that VTL0 is being reset before
VTL0 runs again; here the rig says it through the mailbox
(include/khcl/mailbox.h): VTL0's state is set RESET for the guest that
is gone, then this waits until VTL2 counts the reset in
vtl2.reserved[KHCL_MBOX_VTL2_RESETS], which it does once it closed every
channel of the old guest (no DMA into its memory any more). Only then
may the next guest boot: its kernel and initramfs land where the old
guest's buffers were.

Prints one line; exit 0 when VTL2 handled it (or VTL2 is not up: nothing
of the old guest can be in use), 1 on timeout.
"""
import mmap
import struct
import sys
import time

MAGIC = 0x424d484b          # "KHMB", KHCL_MBOX_MAGIC
HDR = 64                    # magic, version, reserved[14]
SIDE = 64                   # peer_id, state, generation, reserved[13]
VTL2, VTL0 = HDR, HDR + SIDE
STATE, RESERVED = 4, 12
STATE_UP, STATE_RESET = 1, 2
VTL2_RESETS = 0             # KHCL_MBOX_VTL2_RESETS


def u32(m, off):
    return struct.unpack_from("<I", m, off)[0]


def main():
    timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
    with open(sys.argv[1], "r+b") as f:
        m = mmap.mmap(f.fileno(), 4096)
    if u32(m, 0) != MAGIC or u32(m, VTL2 + STATE) != STATE_UP:
        print("mbox-reset: VTL2 is not up: nothing to wait for")
        return 0
    counter = VTL2 + RESERVED + 4 * VTL2_RESETS
    before = u32(m, counter)
    t0 = time.monotonic()
    struct.pack_into("<I", m, VTL0 + STATE, STATE_RESET)
    while time.monotonic() - t0 < timeout:
        if u32(m, counter) != before:
            print("mbox-reset: VTL2 closed the old guest's channels in %d ms"
                  % ((time.monotonic() - t0) * 1000))
            return 0
        time.sleep(0.02)
    print("mbox-reset: VTL2 did not confirm the reset within %d s" % timeout)
    return 1


if __name__ == "__main__":
    sys.exit(main())
