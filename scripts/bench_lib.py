#!/usr/bin/env python3
"""Helpers of make bench's parsers (bench_storage.py, bench_net.py)."""


def lines(path):
    """The file's lines, carriage returns (serial consoles) removed."""
    with open(path, errors="replace") as f:
        return [l.rstrip("\r\n").replace("\r", "") for l in f]


def bursts(path, fields, min_step):
    """vtl2's samples "S uptime count busy total ..." (FIELDS numbers
    after the S) cut into bursts of activity: runs of samples where the
    count grew by more than MIN_STEP, ended by 2 s without; the first and
    last sample of each, as lists [uptime, count, busy, total, ...]."""
    s = []
    for l in lines(path):
        p = l.split()
        if len(p) == fields + 1 and p[0] == "S":
            s.append([float(p[1])] + [int(x) for x in p[2:]])
    wins, start, last = [], None, None
    for i in range(1, len(s)):
        if s[i][1] - s[i - 1][1] > min_step:
            if start is None:
                start = i - 1
            last = i
        elif start is not None and s[i][0] - s[last][0] >= 2.0:
            wins.append((s[start], s[last]))
            start = None
    if start is not None:
        wins.append((s[start], s[last]))
    return wins


HOST_KEYS = ["host_busy_pct", "qemu_vtl0_cpu_pct", "qemu_vtl2_cpu_pct",
             "host_cpus"]


def with_host_cpu(path, runs):
    """RUNS (name -> metrics) with the host's CPU over each workload,
    from the "HOST name busy vtl0 vtl2 cpus" lines of scripts/hostcpu.py
    that make bench appends to the VM's output."""
    for l in lines(path):
        p = l.split()
        if len(p) == 6 and p[0] == "HOST" and p[1] in runs:
            runs[p[1]].update(zip(HOST_KEYS, [float(x) for x in p[2:5]] +
                                  [int(p[5])]))
    return runs


STAGE_KEYS = ["vtl2_wake_us", "vtl2_vsp_us", "vtl2_device_us",
              "vtl2_answer_us"]


def stages(a, b):
    """Per request, in us: the stages vtl2 timed between samples A and B
    of bursts() (their last seven fields: wakes wake_ns requests vsp_ns
    answer_ns device_ios device_ns, vmlib.sh vsp_stages)."""
    wakes, wake_ns, reqs, vsp_ns, answer_ns, dev_ios, dev_ns = \
        [y - x for x, y in zip(a[-7:], b[-7:])]
    out = {}
    if wakes:
        out["vtl2_wake_us"] = round(wake_ns / wakes / 1000, 1)
    if reqs:
        out["vtl2_vsp_us"] = round(vsp_ns / reqs / 1000, 1)
        out["vtl2_answer_us"] = round(answer_ns / reqs / 1000, 1)
    if dev_ios:
        out["vtl2_device_us"] = round(dev_ns / dev_ios / 1000, 1)
    return out
