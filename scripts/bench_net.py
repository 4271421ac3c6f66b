#!/usr/bin/env python3
"""make bench, network: turn three rig runs' output into BENCH.md lines.

  bench_net.py COMMON_JSON DIRECT_OUT HOSTPV_OUT KHCL_GUEST_OUT KHCL_VTL2_OUT

Each *_OUT holds, per workload, "NET_BEGIN name", the tool's output
(iperf3 JSON, or ping's lines) and "NET_END name busy_ticks total_ticks
packets" (bench-net-guest.sh: that VM's /proc/stat and its NIC's packet
counters over the run). The khcl run's vtl2 output holds samples
"S uptime packets busy total copied zerocopy" (bench-net-vtl2.sh), cut
here into one window per workload at the idle gaps between them. Lines
"HOST name ..." (scripts/hostcpu.py) add the host's CPU to a workload.
"""
import json
import re
import sys

from bench_lib import HOST_KEYS, STAGE_KEYS, bursts, lines, stages, \
    with_host_cpu

USER_HZ_US = 10000      # /proc/stat ticks are 1/100 s
ORDER = ["tcp_tx", "tcp_rx", "udp_pps_64b", "rr_latency"]


def metrics(name, buf):
    """The workload's metrics from its tool output, or None."""
    if name == "rr_latency":
        t = sorted(float(m.group(1)) * 1000 for m in
                   (re.search(r"time=([0-9.]+) ms", l) for l in buf) if m)
        if len(t) < 10:
            return None
        return {"p50_us": round(t[len(t) // 2]),
                "p99_us": round(t[min(len(t) - 1, len(t) * 99 // 100)]),
                "samples": len(t)}
    start = next((i for i, x in enumerate(buf) if x.startswith("{")), None)
    try:
        j = json.loads("\n".join(buf[start:]))
        end = j["end"]
    except (TypeError, ValueError, KeyError):
        return None
    if name == "udp_pps_64b":
        s = end["sum"]
        got = s["packets"] - s.get("lost_packets", 0)
        return {"pps": round(got / s["seconds"]),
                "mbit_per_s": round(s["bits_per_second"] / 1e6, 1),
                "lost_percent": round(s.get("lost_percent", 0), 2),
                "seconds": s["seconds"]}
    s = end["sum_received"]
    return {"mbit_per_s": round(s["bits_per_second"] / 1e6, 1),
            "seconds": s["seconds"]}


def runs(path):
    """name -> dict of the metrics of that workload's run."""
    out, name, buf = {}, None, []
    for l in lines(path):
        if l.startswith("NET_BEGIN "):
            name, buf = l.split()[1], []
        elif l.startswith("NET_END ") and name:
            p = l.split()
            d = metrics(name, buf)
            if d is None:
                print("bench_net: %s: no result for %s: %s" %
                      (path, name, " / ".join(buf[:3])), file=sys.stderr)
            else:
                d["busy_us"] = int(p[2]) * USER_HZ_US
                d["packets"] = int(p[4]) if len(p) > 4 else 0
                out[name] = d
            name = None
        elif name is not None:
            buf.append(l)
    return with_host_cpu(path, out)


def windows(path):
    """Busy time and packets of vtl2 per burst of traffic (a workload):
    more than 3 packets a sample (stray ARP/ND is less), 50 in all."""
    out = []
    for a, b in bursts(path, 13, 3):
        if b[1] - a[1] >= 50:
            w = {"packets": b[1] - a[1], "busy_us": (b[2] - a[2]) * USER_HZ_US,
                 "copied": b[4] - a[4], "zerocopy": b[5] - a[5]}
            w.update(stages(a, b))
            out.append(w)
    return out


def per_pkt(d, vm):
    """This VM's busy CPU time per packet its NIC moved."""
    if d.get("packets"):
        d["cpu_us_per_io_" + vm] = round(d["busy_us"] / d["packets"], 2)


KEYS = ["mbit_per_s", "pps", "p50_us", "p99_us", "cpu_us_per_io_vtl2",
        "cpu_us_per_io_vtl0", "bytes_copied", "zerocopy_bytes",
        "lost_percent"] + HOST_KEYS + STAGE_KEYS
RATIO = KEYS[:6]


def main():
    common = json.loads(sys.argv[1])
    direct, hostpv, khcl = (runs(p) for p in sys.argv[2:5])
    wins = windows(sys.argv[5])
    for i, name in enumerate(ORDER):
        base = {}
        if name in direct:
            d = direct[name]
            per_pkt(d, "vtl2")
            base["direct"] = (d, "off")
        if name in hostpv:
            d = hostpv[name]
            per_pkt(d, "vtl0")
            base["hostpv"] = (d, "idle")
        out = []
        if name in khcl:
            d = khcl[name]
            per_pkt(d, "vtl0")
            if len(wins) == len(ORDER):
                w = wins[i]
                d["cpu_us_per_io_vtl2"] = round(w["busy_us"] / w["packets"],
                                                2)
                d["bytes_copied"] = w["copied"]
                d["zerocopy_bytes"] = w["zerocopy"]
                d.update({k: v for k, v in w.items() if k in STAGE_KEYS})
            out.append(("khcl", d, "n/a"))
        out += [(p, d, o) for p, (d, o) in base.items()]
        for path, d, other in out:
            rec = {"bench": "net." + name, "path": path}
            for k in KEYS:
                if k in d:
                    rec[k] = d[k]
            if path == "khcl":
                for bname, (b, _) in base.items():
                    for k in RATIO:
                        if k in d and k in b and b[k]:
                            rec[k + "_ratio_" + bname] = round(d[k] / b[k], 3)
            rec["other_vm"] = other
            rec.update(common)
            rec["runtime_s"] = round(d.get("seconds", 0))
            print(json.dumps(rec, separators=(",", ":")))


if __name__ == "__main__":
    main()
