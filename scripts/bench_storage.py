#!/usr/bin/env python3
"""make bench, storage: turn three rig runs' output into BENCH.md lines.

  bench_storage.py COMMON_JSON DIRECT_OUT HOSTPV_OUT KHCL_GUEST_OUT KHCL_VTL2_OUT \
      [POLL_DEPTH POLLED_GUEST_OUT POLLED_VTL2_OUT]

Each *_OUT holds, per workload, "FIO_BEGIN name", fio's JSON and
"FIO_END name busy_ticks total_ticks" (bench-storage-guest.sh). The khcl
run's vtl2 output holds samples "S uptime ios busy total copied bounced"
and seven stage sums (bench-storage-vtl2.sh, khcl_vmbus.timing), cut here
into one window per workload at the idle gaps the guest leaves between
them. With the last three, a second
khcl run in polled mode (nvme_xlat poll_depth) gives khcl lines of its
own; every khcl line says its "poll_depth" (0: interrupts). Lines
"HOST name ..." (scripts/hostcpu.py) add the host's CPU to a workload.
"""
import json
import sys

from bench_lib import HOST_KEYS, STAGE_KEYS, bursts, lines, stages, \
    with_host_cpu

USER_HZ_US = 10000      # /proc/stat ticks are 1/100 s
ORDER = ["randread4k.qd1", "randread4k.qd32", "randwrite4k.qd32",
         "seqread128k.qd8", "seqwrite128k.qd8"]


def fio_runs(path):
    """name -> dict of the metrics of that workload's fio run."""
    out, name, buf = {}, None, []
    for l in lines(path):
        if l.startswith("FIO_BEGIN "):
            name, buf = l.split()[1], []
        elif l.startswith("FIO_END ") and name:
            _, _, busy, total = l.split()
            start = next((i for i, x in enumerate(buf) if x.startswith("{")),
                         None)
            try:
                j = json.loads("\n".join(buf[start:]))
            except (TypeError, ValueError):
                print("bench_storage: %s: no fio result for %s: %s" %
                      (path, name, " / ".join(buf[:3])), file=sys.stderr)
                name = None
                continue
            job = j["jobs"][0]
            d = job["write"] if job["write"]["total_ios"] else job["read"]
            pct = d["clat_ns"].get("percentile", {})
            ios = d["total_ios"]
            out[name] = {
                "iops": round(d["iops"]),
                "mbytes_per_s": round(d["bw_bytes"] / 1e6, 1),
                "p50_us": round(pct.get("50.000000", 0) / 1000, 1),
                "p99_us": round(pct.get("99.000000", 0) / 1000, 1),
                "runtime_ms": d["runtime"],
                "ios": ios,
                "busy_us": int(busy) * USER_HZ_US,
            }
            name = None
        elif name is not None:
            buf.append(l)
    return with_host_cpu(path, out)


def windows(path):
    """Busy time and I/Os of vtl2 per burst of I/O (one per workload)."""
    out = []
    for a, b in bursts(path, 13, 0):
        ios = b[1] - a[1]
        if ios >= 50:
            w = {"ios": ios, "busy_us": (b[2] - a[2]) * USER_HZ_US,
                 "copied": b[4] - a[4], "bounced": b[5] - a[5]}
            w.update(stages(a, b))
            out.append(w)
    return out



def khcl_metrics(guest, vtl2):
    """name -> the khcl path's metrics, vtl2's share from its windows."""
    runs, wins, out = fio_runs(guest), windows(vtl2), {}
    for i, name in enumerate(ORDER):
        if name not in runs:
            continue
        d = dict(runs[name])
        d["cpu_us_per_io_vtl0"] = round(d["busy_us"] / max(d["ios"], 1), 1)
        if i < len(wins) and len(wins) == len(ORDER):
            w = wins[i]
            d["cpu_us_per_io_vtl2"] = round(w["busy_us"] / w["ios"], 1)
            d["bytes_copied"] = w["copied"]
            d["bytes_bounced"] = w["bounced"]
            d.update({k: v for k, v in w.items() if k in STAGE_KEYS})
        out[name] = d
    return out


KEYS = ["iops", "mbytes_per_s", "p50_us", "p99_us", "cpu_us_per_io_vtl2",
        "cpu_us_per_io_vtl0", "bytes_bounced", "bytes_copied"] + HOST_KEYS \
    + STAGE_KEYS


def main():
    common = json.loads(sys.argv[1])
    direct, hostpv = (fio_runs(p) for p in sys.argv[2:4])
    khcl = [(0, khcl_metrics(sys.argv[4], sys.argv[5]))]
    if len(sys.argv) == 9:
        khcl.append((int(sys.argv[6]),
                     khcl_metrics(sys.argv[7], sys.argv[8])))
    for name in ORDER:
        base = {}
        if name in direct:
            d = dict(direct[name])
            d["cpu_us_per_io_vtl2"] = round(d["busy_us"] / max(d["ios"], 1), 1)
            base["direct"] = (d, "off")
        if name in hostpv:
            d = dict(hostpv[name])
            d["cpu_us_per_io_vtl0"] = round(d["busy_us"] / max(d["ios"], 1), 1)
            base["hostpv"] = (d, "idle")
        out = [("khcl", m[name], "n/a", depth) for depth, m in khcl
               if name in m]
        out += [(p, d, o, None) for p, (d, o) in base.items()]
        for path, d, other, depth in out:
            rec = {"bench": "storage." + name, "path": path}
            for k in KEYS:
                if k in d:
                    rec[k] = d[k]
            if path == "khcl":
                rec["poll_depth"] = depth
                for bname, (b, _) in base.items():
                    for k in KEYS[:6]:
                        if k in d and k in b and b[k]:
                            rec[k + "_ratio_" + bname] = round(d[k] / b[k], 3)
            rec["other_vm"] = other
            rec.update(common)
            rec["runtime_s"] = round(d["runtime_ms"] / 1000)
            print(json.dumps(rec, separators=(",", ":")))


if __name__ == "__main__":
    main()
