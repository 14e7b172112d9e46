# A test time-stamp authority for tests/e2e/sign.sh (Python 3, stdlib only):
# an HTTP server on 127.0.0.1 (a free port, written to PORT_FILE once it
# listens) answering each POST application/timestamp-query with
# `openssl ts -reply -config TS.cnf` over the request's body. MODE makes it
# misbehave: http-error (500), garbage (a body that is no response),
# other-imprint (a token over another digest). With CERT.pem and KEY.pem it
# serves HTTPS (TLS with that certificate) instead of HTTP.
# Usage: python3 tsa-server.py TS.cnf PORT_FILE [ok|http-error|garbage|other-imprint] [CERT.pem KEY.pem]
import http.server
import os
import ssl
import subprocess
import sys

conf, port_file = sys.argv[1], sys.argv[2]
mode = sys.argv[3] if len(sys.argv) > 3 else "ok"


def reply_to(query):
    """openssl ts -reply's response (DER) to the query (DER)."""
    return subprocess.run(["openssl", "ts", "-reply", "-config", conf, "-queryfile", "/dev/stdin",
                           "-out", "/dev/stdout"], input=query, capture_output=True, check=True).stdout


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        query = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if mode == "http-error" or self.headers.get("Content-Type") != "application/timestamp-query":
            self.send_error(500)
            return
        if mode == "garbage":
            reply = b"not a time-stamp response"
        elif mode == "other-imprint":
            other = subprocess.run(["openssl", "ts", "-query", "-digest", "00" * 32, "-sha256", "-cert"],
                                   capture_output=True, check=True).stdout
            reply = reply_to(other)
        else:
            reply = reply_to(query)
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
if len(sys.argv) > 5:
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(sys.argv[4], sys.argv[5])
    server.socket = tls.wrap_socket(server.socket, server_side=True)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
