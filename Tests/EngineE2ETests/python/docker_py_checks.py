"""docker-py 7 against berthd: the calls people make, with asserts on what comes back."""
import sys
import threading

import docker

client = docker.DockerClient(base_url=sys.argv[1], timeout=30)

assert client.version()["ApiVersion"] == "1.47"
assert client.ping()
assert any("busybox:latest" in image.tags for image in client.images.list())

output = client.containers.run("busybox", "echo hi", remove=True)
assert output == b"hi\n", output

events = []
def watch():
    for event in client.events(decode=True, filters={"type": "container"}):
        events.append(event.get("Action"))
        if event.get("Action") == "start":
            return
watcher = threading.Thread(target=watch, daemon=True)
watcher.start()

container = client.containers.run("busybox", "sh -c 'echo started; sleep 600'", detach=True, name="pycheck")
watcher.join(10)
assert "start" in events, events
container.reload()
assert container.status == "running", container.status
assert container.exec_run("echo x") == (0, b"x\n")
code, (out, err) = container.exec_run(["sh", "-c", "echo out; echo err >&2; exit 4"], demux=True)
assert (code, out, err) == (4, b"out\n", b"err\n"), (code, out, err)
stats = container.stats(stream=False)
assert stats["memory_stats"]["usage"] > 0, stats
assert stats["pids_stats"]["current"] >= 1, stats
assert container.logs() == b"started\n", container.logs()

bits, stat = container.get_archive("/etc/hostname")
assert stat["name"] == "hostname", stat
assert len(b"".join(bits)) > 0

import io, tarfile
buffer = io.BytesIO()
with tarfile.open(fileobj=buffer, mode="w") as tar:
    data = b"put by docker-py\n"
    info = tarfile.TarInfo("put.txt")
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))
assert container.put_archive("/tmp", buffer.getvalue())
assert container.exec_run("cat /tmp/put.txt").output == b"put by docker-py\n"

container.stop(timeout=1)
assert container.wait()["StatusCode"] == 137
container.remove()
try:
    client.containers.get("pycheck")
    raise AssertionError("container still there")
except docker.errors.NotFound:
    pass

volume = client.volumes.create("pyvolume")
assert any(v.name == "pyvolume" for v in client.volumes.list())
volume.remove()

try:
    client.containers.run("busybox", "no-such-program", remove=True)
    raise AssertionError("expected an error")
except docker.errors.APIError as error:
    assert "executable file not found" in str(error), error

print("docker-py: all checks passed")
