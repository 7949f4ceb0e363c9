#!/usr/bin/env python3
"""docker-py 7 against berthd, one group of checks at a time.

Usage: python3 docker_py_e2e.py <socket path or unix:// URL> <group>...
Groups: system run exec lifecycle volumes events archive (or: all)

Prints one line per check, `ok <group>.<check>` or `FAIL <group>.<check>: <why>`, and
exits 1 if any check failed. Containers and volumes it makes are named e2e-py-* and
removed at the end of each group.
"""
import io
import sys
import tarfile
import threading
import time
import traceback
import uuid

import docker

SOCKET = sys.argv[1] if len(sys.argv) > 1 else "/run/berth/berth.sock"
BASE_URL = SOCKET if "://" in SOCKET else "unix://" + SOCKET
FAILED = []


def client():
    return docker.DockerClient(base_url=BASE_URL, timeout=30)


def name(label):
    return "e2e-py-%s-%s" % (label, uuid.uuid4().hex[:6])


def check(group, label, fn):
    try:
        fn()
        print("ok %s.%s" % (group, label), flush=True)
    except Exception as error:  # noqa: BLE001 - every failure is reported, none stops the group
        detail = "".join(traceback.format_exception_only(type(error), error)).strip().replace("\n", " | ")
        where = traceback.extract_tb(error.__traceback__)[-1]
        print("FAIL %s.%s: %s (line %d: %s)" % (group, label, detail, where.lineno, where.line), flush=True)
        FAILED.append("%s.%s" % (group, label))


def expect(condition, message=""):
    if not condition:
        raise AssertionError(message)


def cleanup(c):
    for container in c.containers.list(all=True, filters={"name": "e2e-py-"}):
        try:
            container.remove(force=True)
        except docker.errors.APIError:
            pass
    for volume in c.volumes.list(filters={"name": "e2e-py-"}):
        try:
            volume.remove(force=True)
        except docker.errors.APIError:
            pass


def group_system(c):
    g = "system"
    check(g, "version_api_1_47", lambda: expect(c.version()["ApiVersion"] == "1.47", c.version()))
    check(g, "version_components", lambda: expect(c.version().get("Version") and c.version().get("Os") == "linux", c.version()))
    check(g, "ping", lambda: expect(c.ping() is True))
    check(g, "info", lambda: expect(c.info()["OSType"] == "linux" and c.info()["Images"] >= 1, c.info()))

    def images_list():
        tags = [t for image in c.images.list() for t in image.tags]
        expect("busybox:latest" in tags, tags)
    check(g, "images_list_has_busybox", images_list)

    def image_get():
        image = c.images.get("busybox:latest")
        expect(image.id.startswith("sha256:"), image.id)
        expect(image.attrs["Os"] == "linux", image.attrs.get("Os"))
        expect(len(image.history()) >= 1, image.history())
    check(g, "image_get", image_get)

    def image_not_found():
        try:
            c.images.get("e2e-py-nosuch:latest")
        except docker.errors.ImageNotFound:
            return
        raise AssertionError("no ImageNotFound")
    check(g, "image_not_found", image_not_found)


def group_run(c):
    g = "run"
    check(g, "run_remove_returns_output",
          lambda: expect(c.containers.run("busybox", "echo hi", remove=True) == b"hi\n"))

    def run_error():
        try:
            c.containers.run("busybox", ["sh", "-c", "echo bad >&2; exit 3"], remove=True)
        except docker.errors.ContainerError as error:
            expect(error.exit_status == 3, error.exit_status)
            expect(b"bad" in (error.stderr or b""), error.stderr)
            return
        raise AssertionError("no ContainerError")
    check(g, "run_nonzero_raises_container_error", run_error)

    def run_missing_command():
        try:
            c.containers.run("busybox", "no-such-program", remove=True)
        except docker.errors.APIError as error:
            expect("executable file not found" in str(error), error)
            return
        raise AssertionError("no APIError")
    check(g, "run_missing_command_is_api_error", run_missing_command)

    def run_missing_image():
        try:
            c.containers.run("e2e-py-nosuch:latest", "true", remove=True)
        except (docker.errors.ImageNotFound, docker.errors.APIError):
            return
        raise AssertionError("no error")
    check(g, "run_missing_image_raises", run_missing_image)

    def detach():
        n = name("detach")
        container = c.containers.run("busybox", ["sh", "-c", "echo started; echo oops >&2; sleep 600"],
                                     detach=True, name=n, environment={"E2E": "1"})
        expect(isinstance(container, docker.models.containers.Container))
        deadline = time.time() + 10
        while time.time() < deadline and container.logs() != b"started\noops\n":
            time.sleep(0.1)
        container.reload()
        expect(container.status == "running", container.status)
        expect(container.name == n, container.name)
        expect(c.containers.get(n).id == container.id)
        expect(any(x.id == container.id for x in c.containers.list()), "not in containers.list()")
        expect(container.logs(stdout=True, stderr=False) == b"started\n", container.logs(stdout=True, stderr=False))
        expect(container.logs(stdout=False, stderr=True) == b"oops\n", container.logs(stdout=False, stderr=True))
        expect(container.logs(tail=1) in (b"oops\n", b"started\n"), container.logs(tail=1))
        expect(b"E2E=1" in container.exec_run("env").output)
        container.remove(force=True)
    check(g, "run_detach_logs_get_list", detach)

    def logs_stream():
        n = name("stream")
        container = c.containers.run("busybox", ["sh", "-c", "echo a; sleep 0.5; echo b"], detach=True, name=n)
        lines = b"".join(container.logs(stream=True, follow=True))
        expect(lines == b"a\nb\n", lines)
        container.remove()
    check(g, "logs_follow_stream_ends_with_container", logs_stream)


def group_exec(c):
    g = "exec"
    container = c.containers.run("busybox", "sleep 600", detach=True, name=name("exec"))
    check(g, "exec_run_echo", lambda: expect(container.exec_run("echo x") == (0, b"x\n"), container.exec_run("echo x")))
    check(g, "exec_run_exit_code",
          lambda: expect(container.exec_run(["sh", "-c", "exit 4"]).exit_code == 4, container.exec_run(["sh", "-c", "exit 4"])))

    def demux():
        code, (out, err) = container.exec_run(["sh", "-c", "echo out; echo err >&2; exit 2"], demux=True)
        expect((code, out, err) == (2, b"out\n", b"err\n"), (code, out, err))
    check(g, "exec_run_demux", demux)

    def options():
        result = container.exec_run(["sh", "-c", "echo $A $(pwd) $(id -u)"], environment={"A": "b"}, workdir="/tmp", user="1000")
        expect(result == (0, b"b /tmp 1000\n"), result)
    check(g, "exec_run_env_workdir_user", options)

    def stream():
        result = container.exec_run(["sh", "-c", "echo one; sleep 0.2; echo two"], stream=True)
        expect(b"".join(result.output) == b"one\ntwo\n")
    check(g, "exec_run_stream", stream)

    def tty():
        result = container.exec_run("tty", tty=True)
        expect(result.exit_code == 0 and result.output.startswith(b"/dev/pts/"), result)
    check(g, "exec_run_tty", tty)
    container.remove(force=True)


def group_lifecycle(c):
    g = "lifecycle"
    n = name("life")
    container = c.containers.run("busybox", "sleep 600", detach=True, name=n)

    def stats():
        s = container.stats(stream=False)
        expect(s["memory_stats"].get("usage", 0) > 0, s["memory_stats"])
        expect(s["pids_stats"].get("current", 0) >= 1, s["pids_stats"])
        expect("cpu_usage" in s["cpu_stats"] and "precpu_stats" in s, s.keys())
        expect(s["name"] == "/" + n, s.get("name"))
    check(g, "stats_no_stream", stats)

    def top():
        t = container.top()
        expect("PID" in t["Titles"], t)
        expect(any("sleep 600" in " ".join(p) for p in t["Processes"]), t)
    check(g, "top", top)

    def pause():
        container.pause()
        container.reload()
        expect(container.status == "paused", container.status)
        container.unpause()
        container.reload()
        expect(container.status == "running", container.status)
    check(g, "pause_unpause", pause)

    def stop_wait():
        started = time.time()
        container.stop(timeout=1)
        expect(time.time() - started < 4, time.time() - started)
        result = container.wait(timeout=10)
        expect(result["StatusCode"] == 137, result)
        container.reload()
        expect(container.status == "exited", container.status)
        expect(container.attrs["State"]["ExitCode"] == 137, container.attrs["State"])
    check(g, "stop_wait", stop_wait)

    def restart():
        container.restart(timeout=1)
        container.reload()
        expect(container.status == "running", container.status)
    check(g, "restart", restart)

    def kill_wait():
        container.kill()
        expect(container.wait(timeout=10)["StatusCode"] == 137)
    check(g, "kill_wait", kill_wait)

    def wait_exit_code():
        other = c.containers.run("busybox", ["sh", "-c", "exit 5"], detach=True, name=name("wait"))
        expect(other.wait(timeout=10)["StatusCode"] == 5)
        other.remove()
    check(g, "wait_exit_code", wait_exit_code)

    def remove():
        container.remove()
        try:
            c.containers.get(n)
        except docker.errors.NotFound:
            return
        raise AssertionError("still there after remove()")
    check(g, "remove", remove)

    def remove_running_conflict():
        other = c.containers.run("busybox", "sleep 600", detach=True, name=name("conflict"))
        try:
            other.remove()
        except docker.errors.APIError as error:
            expect(error.status_code == 409, error.status_code)
            other.remove(force=True)
            return
        raise AssertionError("removing a running container did not fail")
    check(g, "remove_running_is_409", remove_running_conflict)

    def create_start():
        created = c.containers.create("busybox", "echo created", name=name("create"))
        expect(created.status == "created", created.status)
        created.start()
        expect(created.wait(timeout=10)["StatusCode"] == 0)
        expect(created.logs() == b"created\n", created.logs())
        created.remove()
    check(g, "create_start", create_start)


def group_volumes(c):
    g = "volumes"
    n = name("vol")

    def create_list_remove():
        volume = c.volumes.create(n, labels={"e2e": "1"})
        expect(volume.name == n, volume.name)
        expect(any(v.name == n for v in c.volumes.list()), [v.name for v in c.volumes.list()])
        expect(c.volumes.get(n).attrs["Driver"] == "local")
        expect(c.volumes.get(n).attrs["Labels"] == {"e2e": "1"}, c.volumes.get(n).attrs)
        out = c.containers.run("busybox", ["sh", "-c", "echo v > /data/f; cat /data/f"], remove=True,
                               volumes={n: {"bind": "/data", "mode": "rw"}})
        expect(out == b"v\n", out)
        volume.remove()
        try:
            c.volumes.get(n)
        except docker.errors.NotFound:
            return
        raise AssertionError("volume still there")
    check(g, "create_list_get_remove", create_list_remove)

    def prune():
        c.volumes.create(name("prune"))
        result = c.volumes.prune()
        expect("VolumesDeleted" in result and "SpaceReclaimed" in result, result)
    check(g, "prune", prune)


def group_events(c):
    g = "events"

    def start_event():
        seen = []
        stream = c.events(decode=True, filters={"type": "container", "event": "start"})

        def watch():
            try:
                for event in stream:
                    seen.append(event)
                    return
            except Exception as error:  # noqa: BLE001 - closing the stream ends the iteration
                seen.append({"error": repr(error)})

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        time.sleep(0.3)
        container = c.containers.run("busybox", "true", detach=True, name=name("events"))
        watcher.join(10)
        stream.close()
        container.remove(force=True)
        expect(seen, "no event within 10 s")
        event = seen[0]
        expect(event.get("Action") == "start" and event.get("Type") == "container", event)
        expect(event.get("id") == container.id or event.get("Actor", {}).get("ID") == container.id, event)
        expect(event.get("Actor", {}).get("Attributes", {}).get("image") == "busybox", event)
        expect(isinstance(event.get("timeNano"), int), event)
    check(g, "thread_sees_start", start_event)

    def since_until():
        since = time.time() - 0.5
        container = c.containers.run("busybox", "true", detach=True, name=name("window"))
        container.wait(timeout=10)
        container.remove()
        until = time.time() + 0.5
        actions = [e["Action"] for e in c.events(since=since, until=until, decode=True,
                                                   filters={"container": container.id})]
        for action in ("create", "start", "die", "destroy"):
            expect(action in actions, actions)
    check(g, "since_until_window", since_until)


def group_archive(c):
    g = "archive"
    container = c.containers.run("busybox", ["sh", "-c", "echo inside > /tmp/in.txt; sleep 600"], detach=True, name=name("archive"))
    time.sleep(0.3)

    def get_archive():
        bits, stat = container.get_archive("/tmp/in.txt")
        expect(stat["name"] == "in.txt" and stat["size"] == 7, stat)
        data = b"".join(bits)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            member = tar.extractfile("in.txt")
            expect(member is not None and member.read() == b"inside\n")
    check(g, "get_archive", get_archive)

    def put_archive():
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            payload = b"put by docker-py\n"
            info = tarfile.TarInfo("put.txt")
            info.size = len(payload)
            info.mode = 0o640
            tar.addfile(info, io.BytesIO(payload))
        expect(container.put_archive("/tmp", buffer.getvalue()) is True)
        result = container.exec_run(["sh", "-c", "cat /tmp/put.txt; stat -c %a /tmp/put.txt"])
        expect(result == (0, b"put by docker-py\n640\n"), result)
    check(g, "put_archive", put_archive)

    def missing_path():
        try:
            container.get_archive("/no/such/path")
        except docker.errors.NotFound:
            return
        raise AssertionError("no NotFound")
    check(g, "get_archive_missing_is_404", missing_path)

    def export():
        data = b"".join(container.export())
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            names = set(tar.getnames())
        expect("bin/busybox" in names or "./bin/busybox" in names, sorted(names)[:20])
    check(g, "export", export)
    container.remove(force=True)


GROUPS = {
    "system": group_system, "run": group_run, "exec": group_exec, "lifecycle": group_lifecycle,
    "volumes": group_volumes, "events": group_events, "archive": group_archive,
}


def main():
    wanted = sys.argv[2:] or ["all"]
    if wanted == ["all"]:
        wanted = list(GROUPS)
    for group in wanted:
        c = client()
        try:
            GROUPS[group](c)
        except Exception as error:  # noqa: BLE001 - a crash in a group's setup is one failure
            print("FAIL %s.setup: %r" % (group, error), flush=True)
            FAILED.append(group + ".setup")
        finally:
            try:
                cleanup(c)
            except Exception as error:  # noqa: BLE001
                print("FAIL %s.cleanup: %r" % (group, error), flush=True)
                FAILED.append(group + ".cleanup")
            c.close()
    if FAILED:
        print("%d check(s) failed: %s" % (len(FAILED), ", ".join(FAILED)), flush=True)
        return 1
    print("all checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
