"""A registry token server for docker-registry's `auth: token:` mode (docker's token spec):
GET /token?service=&scope=... answers {"token", "access_token", "expires_in"} with an ES256 JWT whose
x5c header carries the self-signed certificate docker-registry trusts (rootcertbundle).

Anonymous requests get `pull` on every repository they ask for; USER:PASSWORD (Basic) gets what it
asks for; a wrong password gets 401. Each token request is appended to DIR/requests.

Usage: python3 token_server.py DIR USER PASSWORD   (writes DIR/cert.pem, then DIR/port)
"""
import base64
import datetime
import hashlib
import http.server
import json
import os
import sys
import time
import urllib.parse
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

DIR, USER, PASSWORD = sys.argv[1], sys.argv[2], sys.argv[3]
KEY = ec.generate_private_key(ec.SECP256R1())
NAME = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "berth-test-token")])
NOW = datetime.datetime.now(datetime.timezone.utc)
CERT = (x509.CertificateBuilder().subject_name(NAME).issuer_name(NAME).public_key(KEY.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - datetime.timedelta(days=1)).not_valid_after(NOW + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(KEY, hashes.SHA256()))
ISSUER = "berth-test-issuer"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_token(service, access):
    header = {"alg": "ES256", "typ": "JWT",
              "x5c": [base64.b64encode(CERT.public_bytes(serialization.Encoding.DER)).decode()]}
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": "berth", "aud": service, "exp": now + 300, "nbf": now - 10, "iat": now,
              "jti": str(uuid.uuid4()), "access": access}
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    r, s = decode_dss_signature(KEY.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    return signing_input + "." + b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path != "/token":
            return self.answer(404, {"error": "not found"})
        query = urllib.parse.parse_qs(url.query)
        user = None
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            name, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            if name != USER or password != PASSWORD:
                return self.answer(401, {"details": "incorrect username or password"})
            user = name
        scopes = [s for value in query.get("scope", []) for s in value.split(" ") if s]
        with open(os.path.join(DIR, "requests"), "a") as log:
            log.write("%s %s\n" % (user or "-", " ".join(scopes)))
        access = []
        for scope in scopes:
            kind, _, rest = scope.partition(":")
            name, _, actions = rest.rpartition(":")
            wanted = actions.split(",")
            granted = wanted if user else [a for a in wanted if a == "pull"]
            access.append({"type": kind, "name": name, "actions": granted})
        token = make_token(query.get("service", [""])[0], access)
        self.answer(200, {"token": token, "access_token": token, "expires_in": 300})


def main():
    with open(os.path.join(DIR, "cert.pem"), "wb") as f:
        f.write(CERT.public_bytes(serialization.Encoding.PEM))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(os.path.join(DIR, "port.tmp"), "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(os.path.join(DIR, "port.tmp"), os.path.join(DIR, "port"))
    server.serve_forever()


if __name__ == "__main__":
    main()
