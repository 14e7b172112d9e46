# A test HTTP proxy for tests/e2e/sign.sh (Python 3, stdlib only): on
# 127.0.0.1 (a free port, written to PORT_FILE once it listens), it
# forwards a request whose target is an absolute http:// URL (what a client
# sends through http_proxy) and tunnels a CONNECT host:port (https_proxy).
# Each request it serves is logged to LOG_FILE as "METHOD TARGET", so the
# test sees that the client went through it.
# Usage: python3 http-proxy.py PORT_FILE LOG_FILE
import http.server
import os
import select
import socket
import socketserver
import sys
import urllib.request

port_file, log_file = sys.argv[1], sys.argv[2]


class Proxy(http.server.BaseHTTPRequestHandler):
    def log_request(self, *args):
        with open(log_file, "a") as log:
            log.write("%s %s\n" % (self.command, self.path))

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        request = urllib.request.Request(self.path, data=body, method="POST",
                                         headers={"Content-Type": self.headers.get("Content-Type", "")})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # straight to the server
        with opener.open(request, timeout=20) as answer:
            data = answer.read()
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.headers.get("Content-Type", ""))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    def do_CONNECT(self):
        host, port = self.path.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)), timeout=20)
        self.send_response(200, "Connection established")
        self.end_headers()
        peers = {self.connection: upstream, upstream: self.connection}
        while True:
            ready, _, _ = select.select(list(peers), [], [], 20)
            if not ready:
                break
            data = ready[0].recv(65536)
            if not data:
                break
            peers[ready[0]].sendall(data)
        upstream.close()

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


server = Server(("127.0.0.1", 0), Proxy)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
