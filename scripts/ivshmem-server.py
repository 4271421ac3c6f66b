#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Small ivshmem server for the khcl rig (Debian ships none).

Speaks QEMU's documented ivshmem server protocol (docs/specs/ivshmem-spec):
every message is a little-endian int64, some carry one fd (SCM_RIGHTS).
On connect a client gets: the protocol version (0); its own peer id; -1
with the shared memory fd; for every other peer, that peer's id once per
vector with the peer's eventfd for it; finally its own id once per vector
with its own eventfds. Other peers get the new peer's id + eventfds. When a
peer leaves, the others get its id with no fd.

    ivshmem-server.py SOCKET SHMFILE [VECTORS]
Runs until killed (SIGTERM/SIGINT), removing SOCKET on exit.
"""
import os
import selectors
import signal
import socket
import struct
import sys


def send(conn, value, fd=None):
    data = struct.pack("<q", value)
    if fd is None:
        conn.sendall(data)
    else:
        socket.send_fds(conn, [data], [fd])


def main():
    path, shm_path = sys.argv[1], sys.argv[2]
    vectors = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    shm_fd = os.open(shm_path, os.O_RDWR)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(8)
    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ)
    peers = {}          # id -> (conn, [eventfd per vector])
    next_id = 0

    def stop(*_):
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    while True:
        for key, _ in sel.select():
            if key.fileobj is srv:
                conn, _ = srv.accept()
                pid = next_id
                next_id += 1
                fds = [os.eventfd(0, os.EFD_NONBLOCK) for _ in range(vectors)]
                send(conn, 0)
                send(conn, pid)
                send(conn, -1, shm_fd)
                for oid, (oconn, ofds) in peers.items():
                    for fd in ofds:
                        send(conn, oid, fd)
                    for fd in fds:
                        send(oconn, pid, fd)
                for fd in fds:
                    send(conn, pid, fd)
                peers[pid] = (conn, fds)
                sel.register(conn, selectors.EVENT_READ, pid)
                print(f"ivshmem-server: peer {pid} connected", flush=True)
            else:
                pid = key.data
                conn, fds = peers[pid]
                if conn.recv(64):
                    continue    # clients send nothing; ignore
                sel.unregister(conn)
                conn.close()
                for fd in fds:
                    os.close(fd)
                del peers[pid]
                for oconn, _ in peers.values():
                    send(oconn, pid)
                print(f"ivshmem-server: peer {pid} left", flush=True)


if __name__ == "__main__":
    main()
