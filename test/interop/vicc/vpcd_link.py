"""
vicc's VirtualICC (the TCP link to vpcd inside pcscd) with two fixes:
- TCP_QUICKACK, re-armed before every read. vpcd writes the 2-byte length and the APDU in two
  send() calls; with Nagle on vpcd's side and delayed ACKs on ours, the second write waits for
  the delayed-ACK timer (~40 ms on Linux) on every APDU. TCP_NODELAY on our side keeps our
  replies from waiting behind an unacknowledged write. Both are off with quickack=False, which
  reproduces stock vicc for the latency comparison.
- Messages are read until complete (stock vicc calls recv(size) once, which can return less).
"""
import atexit
import logging
import socket
import struct
import time

from vicc_env import load_vicc

load_vicc()

from virtualsmartcard.VirtualSmartcard import VirtualICC  # noqa: E402


class TunedVirtualICC(VirtualICC):
    def __init__(self, card_os, host, port, quickack=True, connect_timeout=15.0):
        # VirtualICC.__init__ builds its own card (interactive prompts for ePass); we pass ours.
        self.os = card_os
        self.type = 'ePass'
        self.host = host
        self.port = port
        self.server_sock = None
        self.quickack = quickack
        self.sock = self._connect(host, port, connect_timeout)
        if quickack:
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        atexit.register(self.stop)

    @staticmethod
    def _connect(host, port, timeout):
        # pcscd may still be loading the vpcd driver: retry until its port listens.
        deadline = time.monotonic() + timeout
        while True:
            try:
                return socket.create_connection((host, port))
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _recv_exact(self, n):
        buf = bytearray()
        while len(buf) < n:
            if self.quickack:
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                logging.info('Virtual PCD shut down')
                raise socket.error('vpcd closed the connection')
            buf += chunk
        return bytes(buf)

    # run() (vicc's main loop) calls this name-mangled private method.
    def _VirtualICC__recvFromVPICC(self):
        size = struct.unpack('!H', self._recv_exact(2))[0]
        return size, (self._recv_exact(size) if size else None)
