#!/usr/bin/env python3
"""The host's CPU over each workload of a rig run (rig.sh --host-cpu).

  hostcpu.py LOGS_DIR

Follows LOGS_DIR/vtl0.out and LOGS_DIR/vtl2.out as the VMs write them;
a workload runs from a "FIO_BEGIN name" / "NET_BEGIN name" line to its
"FIO_END name" / "NET_END name" line (scripts/tests/bench-*-guest.sh).
At each end it prints one line

  HOST name host_busy_pct qemu_vtl0_cpu_pct qemu_vtl2_cpu_pct host_cpus

over the workload: the host's busy time in % of all its CPUs (/proc/stat),
and each VM's QEMU process (every thread: vCPU, main loop, I/O workers)
in % of one host CPU, found by the log files on its command line. The
markers are seen within 0.2 s of being written, so a window is the
workload give or take that. Runs until killed.
"""
import os
import re
import sys
import time

MARK = re.compile(r"^(FIO|NET)_(BEGIN|END) (\S+)")
HZ = os.sysconf("SC_CLK_TCK")


def host_ticks():
    """Busy and total ticks of all host CPUs."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v) - v[3] - v[4], sum(v)


def qemu_ticks(logs):
    """vm -> user + system ticks of the QEMU whose command line names
    LOGS/vm.out (all its threads, the dead ones included)."""
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().decode(errors="replace")
            if "qemu-system" not in cmd:
                continue
            with open("/proc/%s/stat" % pid) as f:
                st = f.read()
        except OSError:
            continue
        for vm in ("vtl0", "vtl2"):
            if "%s/%s.out" % (logs, vm) in cmd:
                p = st[st.rindex(")") + 2:].split()
                out[vm] = int(p[11]) + int(p[12])
    return out


def main():
    logs = os.path.abspath(sys.argv[1])
    pos = {"vtl0": 0, "vtl2": 0}
    start = {}
    while True:
        for vm in pos:
            try:
                with open("%s/%s.out" % (logs, vm), "rb") as f:
                    f.seek(pos[vm])
                    data = f.read()
            except OSError:
                continue
            # whole lines only: a marker cut in two waits for its end
            data = data[:data.rfind(b"\n") + 1]
            pos[vm] += len(data)
            for l in data.decode(errors="replace").splitlines():
                m = MARK.match(l.replace("\r", ""))
                if not m:
                    continue
                now = (time.monotonic(), host_ticks(), qemu_ticks(logs))
                if m.group(2) == "BEGIN":
                    start[m.group(3)] = now
                    continue
                if m.group(3) not in start:
                    continue
                t0, (b0, a0), q0 = start.pop(m.group(3))
                t1, (b1, a1), q1 = now
                wall = (t1 - t0) * HZ
                if a1 <= a0 or wall <= 0:
                    continue
                vms = ["%.1f" % (100.0 * (q1[v] - q0[v]) / wall)
                       if v in q0 and v in q1 else "0"
                       for v in ("vtl0", "vtl2")]
                print("HOST %s %.1f %s %s %d" %
                      (m.group(3), 100.0 * (b1 - b0) / (a1 - a0),
                       vms[0], vms[1], os.cpu_count()), flush=True)
        time.sleep(0.2)


if __name__ == "__main__":
    main()
