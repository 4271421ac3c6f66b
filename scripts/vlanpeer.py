#!/usr/bin/env python3
"""The rig peer's end of a VLAN, in user space (the host kernel may lack
802.1Q): on IFACE, answer ARP for ADDR and ICMP echo requests to it that
arrive tagged with VID, with frames tagged the same way, from MAC.
   vlanpeer.py IFACE VID ADDR MAC
Run by netpeer.sh inside the peer's namespace; killed with it."""
import socket
import struct
import sys

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 0x10


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frames(sock):
    """(vid, frame without its tag) for each frame received."""
    while True:
        data, anc, _, _ = sock.recvmsg(65536, socket.CMSG_SPACE(20))
        vid = None
        for level, kind, val in anc:
            if level == SOL_PACKET and kind == PACKET_AUXDATA:
                status, _, _, _, _, tci = struct.unpack("IIIHHH", val[:18])
                if status & TP_STATUS_VLAN_VALID:
                    vid = tci & 0xFFF
        if vid is None and len(data) >= 18 and data[12:14] == b"\x81\x00":
            vid = struct.unpack("!H", data[14:16])[0] & 0xFFF
            data = data[:12] + data[16:]
        if vid is not None:
            yield vid, data


def answer(f, addr, mac):
    """The untagged answer to frame @f, or None."""
    kind = f[12:14]
    if kind == b"\x08\x06" and len(f) >= 42:   # ARP request for addr
        if f[20:22] == b"\x00\x01" and f[38:42] == addr:
            arp = (f[14:20] + b"\x00\x02" + mac + addr + f[22:28] +
                   f[28:32])
            return f[6:12] + mac + kind + arp
    if kind == b"\x08\x00" and len(f) >= 34:   # ICMP echo to addr
        ihl = (f[14] & 15) * 4
        ip = bytearray(f[14:14 + struct.unpack("!H", f[16:18])[0]])
        if (ip[9] != 1 or ip[16:20] != addr or len(ip) < ihl + 8 or
                ip[ihl] != 8 or struct.unpack("!H", ip[6:8])[0] & 0x3FFF):
            return None
        ip[12:16], ip[16:20] = ip[16:20], ip[12:16]
        ip[8] = 64
        ip[10:12] = b"\0\0"
        ip[10:12] = struct.pack("!H", csum(bytes(ip[:ihl])))
        ip[ihl] = 0
        ip[ihl + 2:ihl + 4] = b"\0\0"
        ip[ihl + 2:ihl + 4] = struct.pack("!H", csum(bytes(ip[ihl:])))
        return f[6:12] + mac + kind + bytes(ip)
    return None


def main():
    iface, vid, addr, mac = sys.argv[1:5]
    vid = int(vid)
    addr = socket.inet_aton(addr)
    mac = bytes.fromhex(mac.replace(":", ""))
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                         socket.htons(ETH_P_ALL))
    sock.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    sock.bind((iface, 0))
    for v, f in frames(sock):
        out = answer(f, addr, mac) if v == vid else None
        if out:
            sock.send(out[:12] + struct.pack("!HH", 0x8100, vid) + out[12:])


if __name__ == "__main__":
    main()
