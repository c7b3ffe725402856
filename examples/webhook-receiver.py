"""A receiver of wabasync's webhooks that checks each delivery's Standard Webhooks signature.

Usage: python3 examples/webhook-receiver.py whsec_... [port]   (listens on 127.0.0.1, port 9998)
Prints one JSON line per delivery: {"verified": true|false, "id": "msg_...", "type": "template...."}
and answers 204 when the signature is valid and fresh, 401 otherwise.
"""
import base64
import hashlib
import hmac
import http.server
import json
import sys
import time

KEY = base64.b64decode(sys.argv[1].removeprefix("whsec_"))
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 9998


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        msg_id, timestamp = self.headers["webhook-id"], self.headers["webhook-timestamp"]
        # The signed content is id.timestamp.body; during a secret rotation two signatures come.
        mac = hmac.new(KEY, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
        expected = base64.b64encode(mac).decode()
        signed = any(hmac.compare_digest(s.split(",", 1)[-1], expected)
                     for s in self.headers.get("webhook-signature", "").split())
        fresh = abs(time.time() - int(timestamp)) < 300  # refuses replays of old deliveries
        ok = signed and fresh
        print(json.dumps({"verified": ok, "id": msg_id, "type": json.loads(body)["type"]}), flush=True)
        self.send_response(204 if ok else 401)
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", PORT), Receiver).serve_forever()
