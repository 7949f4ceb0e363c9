"""A registry that lies: one image (any repository, any tag) whose layer is served with bytes
that do not hash to the digest the manifest declares. For the pull fault tests.

With --slow the layer (2 MiB) is served correctly but at about 640 KiB/s, so a client can go away
in the middle of it.

Usage: python3 bad_blob_registry.py INFO_FILE [--slow]   (writes "<port> <declared layer digest>\\n" there)
"""
import hashlib
import http.server
import io
import json
import sys
import random
import tarfile
import time

SLOW = "--slow" in sys.argv[2:]


def make_layer():
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        data = random.Random(1).randbytes(2 << 20) if SLOW else b"the registry will not send these bytes\n"
        info = tarfile.TarInfo("hello.txt")
        info.size = len(data)
        info.mtime = 0
        tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


LAYER = make_layer()
LAYER_DIGEST = "sha256:" + hashlib.sha256(LAYER).hexdigest()
# Same length, one byte different: the size check passes, the digest check must not.
BAD_LAYER = LAYER[:-1] + bytes([LAYER[-1] ^ 0xFF])
CONFIG = json.dumps({
    "architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
    "rootfs": {"type": "layers", "diff_ids": [LAYER_DIGEST]},
}, sort_keys=True).encode()
CONFIG_DIGEST = "sha256:" + hashlib.sha256(CONFIG).hexdigest()
MANIFEST = json.dumps({
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": CONFIG_DIGEST, "size": len(CONFIG)},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": LAYER_DIGEST, "size": len(LAYER)}],
}, sort_keys=True).encode()
MANIFEST_DIGEST = "sha256:" + hashlib.sha256(MANIFEST).hexdigest()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", content_type="application/json", extra=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Docker-Distribution-API-Version", "registry/2.0")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/v2/":
            return self.send(200, b"{}")
        if "/manifests/" in path:
            return self.send(200, MANIFEST, "application/vnd.oci.image.manifest.v1+json",
                             {"Docker-Content-Digest": MANIFEST_DIGEST})
        if path.endswith("/blobs/" + CONFIG_DIGEST):
            return self.send(200, CONFIG, "application/octet-stream")
        if path.endswith("/blobs/" + LAYER_DIGEST):
            if SLOW:
                return self.send_slowly(LAYER)
            return self.send(200, BAD_LAYER, "application/octet-stream")
        body = json.dumps({"errors": [{"code": "BLOB_UNKNOWN", "message": "blob unknown to registry"}]}).encode()
        return self.send(404, body)

    def send_slowly(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            for offset in range(0, len(body), 64 << 10):
                self.wfile.write(body[offset:offset + (64 << 10)])
                self.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_HEAD = do_GET


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write("%d %s\n" % (server.server_address[1], LAYER_DIGEST))
    import os
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
