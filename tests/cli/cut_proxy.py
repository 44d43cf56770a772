"""A loopback TCP proxy that breaks gRPC calls after the server has answered them.

It forwards a client's bytes to rebookd unchanged and reads rebookd's bytes as HTTP/2 frames
(9-byte header: length, type, flags, stream id). When rebookd sends the first HEADERS frame of a
response (a unary response starts with it, after the handler has finished, so the write has
committed) on a stream the cut plan names, the proxy closes both connections instead of passing
it on: the client sees the connection break before any answer.

    proxy = CutProxy(server_port, cut=lambda conn, call: conn == 0 and call == 2)
    ... rebookctl --server 127.0.0.1:{proxy.port} ...
    proxy.close()

`cut(conn, call)`: `conn` counts accepted connections from 0, `call` the client's streams
(calls) on that connection from 1. Plaintext only. 127.0.0.1, port 0; every thread ends when
its sockets close, and close() closes them all.
"""
import socket
import struct
import threading

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
HEADERS = 0x1


class CutProxy:
    def __init__(self, target_port, cut):
        self.target_port = target_port
        self.cut = cut
        self.cuts = 0  # responses cut so far
        self.lock = threading.Lock()
        self.sockets = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.closed = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def close(self):
        self.closed.set()
        self.thread.join(timeout=5)
        with self.lock:
            for s in self.sockets:
                _close(s)
        self.listener.close()

    def _accept(self):
        conn = 0
        while not self.closed.is_set() and conn < 1000:
            try:
                client, _ = self.listener.accept()
            except socket.timeout:
                continue
            server = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            server.settimeout(None)
            client.settimeout(None)
            with self.lock:
                self.sockets += [client, server]
            streams = {}  # client stream id -> its call number on this connection
            threading.Thread(target=self._upstream, args=(client, server, streams),
                             daemon=True).start()
            threading.Thread(target=self._downstream, args=(conn, server, client, streams),
                             daemon=True).start()
            conn += 1

    def _upstream(self, client, server, streams):
        """Client to server as is; notes each new stream the client opens."""
        frames = _Frames(preface=True)
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    break
                for kind, stream, _ in frames.feed(data):
                    if kind == HEADERS and stream % 2 == 1 and stream not in streams:
                        streams[stream] = len(streams) + 1
                server.sendall(data)
        except OSError:
            pass
        _close(server)
        _close(client)

    def _downstream(self, conn, server, client, streams):
        """Server to client frame by frame, unless a response is to be cut."""
        frames = _Frames(preface=False)
        answered = set()
        try:
            while True:
                data = server.recv(65536)
                if not data:
                    break
                for kind, stream, raw in frames.feed(data):
                    if kind == HEADERS and stream not in answered:
                        answered.add(stream)
                        if self.cut(conn, streams.get(stream, 0)):
                            with self.lock:
                                self.cuts += 1
                            raise ConnectionAbortedError("cut")
                    client.sendall(raw)
        except OSError:
            pass
        _close(server)
        _close(client)


class _Frames:
    """Splits a byte stream into HTTP/2 frames: (type, stream id, the frame's bytes)."""

    def __init__(self, preface):
        self.buf = b""
        self.preface = preface

    def feed(self, data):
        self.buf += data
        out = []
        if self.preface:
            if len(self.buf) < len(PREFACE):
                return out
            self.buf = self.buf[len(PREFACE):]
            self.preface = False
        while len(self.buf) >= 9:
            length = int.from_bytes(self.buf[:3], "big")
            if len(self.buf) < 9 + length:
                break
            kind = self.buf[3]
            stream = struct.unpack(">I", self.buf[5:9])[0] & 0x7FFFFFFF
            out.append((kind, stream, self.buf[:9 + length]))
            self.buf = self.buf[9 + length:]
        return out


def _close(s):
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    s.close()
