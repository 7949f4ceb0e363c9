// volume create/ls/inspect/rm, named volumes across containers, binds, tmpfs, --read-only.
import Foundation
import Testing

extension EngineE2E {
    @Suite("volumes and mounts") struct Volumes {
        @Test func createListInspectRemove() throws {
            let d = try currentDaemon()
            let name = uniqueName("vol")
            defer { d.docker("volume", "rm", "-f", name) }
            let create = d.docker("volume", "create", name)
            #expect(create.status == 0 && create.stdout == "\(name)\n", "\(create)")
            let ls = d.dockerOK("volume", "ls")
            let table = try Table(ls.stdout, labels: ["DRIVER", "VOLUME NAME"])
            #expect(table.row(where: "VOLUME NAME", is: name)?["DRIVER"] == "local", "\(ls)")
            #expect(d.dockerOK("volume", "ls", "-q").lines.contains(name))
            let inspect = d.dockerOK("volume", "inspect", name)
            let volume = try #require((parseJSON(inspect.stdout) as? [[String: Any]])?.first)
            #expect(volume["Name"] as? String == name)
            #expect(volume["Driver"] as? String == "local")
            #expect(volume["Scope"] as? String == "local")
            let mountpoint = try #require(volume["Mountpoint"] as? String)
            #expect(mountpoint.hasPrefix(d.root + "/"), "\(mountpoint)")
            #expect(HostCleanup.isDirectory(mountpoint), "\(mountpoint) exists")
            #expect(matches(volume["CreatedAt"] as? String ?? "", #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"#), "\(volume)")
            let rm = d.docker("volume", "rm", name)
            #expect(rm.status == 0 && rm.stdout == "\(name)\n", "\(rm)")
            #expect(!d.dockerOK("volume", "ls", "-q").lines.contains(name))
            let missing = d.docker("volume", "inspect", name)
            #expect(missing.status == 1 && missing.stderr.contains("no such volume"), "\(missing)")
        }

        @Test func namedVolumePersistsAcrossContainers() throws {
            let d = try currentDaemon()
            let name = uniqueName("data")
            defer { d.docker("volume", "rm", "-f", name) }
            let write = d.docker("run", "--rm", "-v", "\(name):/data", "busybox", "sh", "-c", "echo persisted > /data/f")
            #expect(write.status == 0, "\(write)")
            let read = d.docker("run", "--rm", "-v", "\(name):/data", "busybox", "cat", "/data/f")
            #expect(read.stdout == "persisted\n", "\(read)")
            #expect(d.dockerOK("volume", "ls", "-q").lines.contains(name), "-v name:/path creates the volume")
            // A volume in use cannot be removed.
            let user = uniqueName("voluser")
            defer { d.docker("rm", "-f", user) }
            d.dockerOK("run", "-d", "--name", user, "-v", "\(name):/data", "busybox", "sleep", "1000")
            let busy = d.docker("volume", "rm", name)
            #expect(busy.status == 1 && busy.stderr.contains("volume is in use"), "\(busy)")
            let mounts = d.dockerOK("inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}} {{.RW}}{{end}}", user)
            #expect(mounts.out == "volume \(name) /data true", "\(mounts)")
        }

        /// `-v /path` (Config.Volumes): docker creates an anonymous volume (64-hex name), mounts it,
        /// lists it, and `rm -v` (or --rm) removes it.
        @Test func anonymousVolume() throws {
            let d = try currentDaemon()
            let name = uniqueName("anon")
            defer { d.docker("rm", "-f", "-v", name) }
            d.dockerOK("run", "-d", "--name", name, "-v", "/data", "busybox", "sleep", "1000")
            let mounted = d.docker("exec", name, "sh", "-c", "grep ' /data ' /proc/mounts && echo kept > /data/f && cat /data/f")
            #expect(mounted.status == 0 && mounted.stdout.hasSuffix("kept\n"), "/data is a mount: \(mounted)")
            let mounts = d.dockerOK("inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}} {{.RW}}{{end}}", name)
            let fields = mounts.out.split(separator: " ").map(String.init)
            #expect(fields.count == 4 && fields[0] == "volume" && HostCleanup.isContainerID(fields[1]) && fields[2] == "/data" && fields[3] == "true",
                    "an anonymous volume in Mounts: \(mounts)")
            let volume = fields.count == 4 ? fields[1] : "?"
            #expect(d.dockerOK("volume", "ls", "-q").lines.contains(volume), "listed by volume ls")
            d.dockerOK("rm", "-f", "-v", name)
            #expect(!d.dockerOK("volume", "ls", "-q").lines.contains(volume), "rm -v removes it")
            // --rm removes the anonymous volumes of the container too.
            let before = Set(d.dockerOK("volume", "ls", "-q").lines)
            let once = d.docker("run", "--rm", "-v", "/scratch", "busybox", "sh", "-c", "grep -c ' /scratch ' /proc/mounts")
            #expect(once.stdout == "1\n", "\(once)")
            #expect(Set(d.dockerOK("volume", "ls", "-q").lines) == before, "no volume left by --rm")
        }

        @Test func readOnlyBindMount() throws {
            let d = try currentDaemon()
            let host = d.dir + "/hostdir-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: host, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: host) }
            try "hostfile\n".write(toFile: host + "/h", atomically: true, encoding: .utf8)
            let ro = d.docker("run", "--rm", "-v", "\(host):/data:ro", "busybox", "sh", "-c", "cat /data/h; touch /data/x")
            #expect(ro.status == 1, "\(ro)")
            #expect(ro.stdout == "hostfile\n", "\(ro)")
            #expect(ro.stderr.contains("Read-only file system"), "\(ro)")
            #expect(!FileManager.default.fileExists(atPath: host + "/x"))
            let rw = d.docker("run", "--rm", "-v", "\(host):/data", "busybox", "sh", "-c", "echo from-container > /data/y")
            #expect(rw.status == 0, "\(rw)")
            #expect((try? String(contentsOfFile: host + "/y", encoding: .utf8)) == "from-container\n", "a rw bind writes through")
        }

        @Test func tmpfsMount() throws {
            let d = try currentDaemon()
            let r = d.docker("run", "--rm", "--tmpfs", "/run", "busybox", "sh", "-c", "grep ' /run ' /proc/mounts; echo x > /run/f && cat /run/f")
            #expect(r.status == 0, "\(r)")
            #expect(matches(r.stdout, #"^tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime"#), "docker's tmpfs options: \(r)")
            #expect(r.stdout.hasSuffix("x\n"), "\(r)")
            let sized = d.docker("run", "--rm", "--tmpfs", "/scratch:size=1m", "busybox", "sh", "-c", "grep ' /scratch ' /proc/mounts")
            #expect(sized.stdout.contains("size=1024k"), "\(sized)")
        }

        @Test func readOnlyRootfs() throws {
            let d = try currentDaemon()
            let r = d.docker("run", "--rm", "--read-only", "busybox", "touch", "/x")
            #expect(r.status == 1, "\(r)")
            #expect(r.stderr == "touch: /x: Read-only file system\n", "\(r)")
            let inspectable = uniqueName("ro")
            defer { d.docker("rm", "-f", inspectable) }
            d.dockerOK("create", "--name", inspectable, "--read-only", "busybox", "true")
            #expect(d.dockerOK("inspect", "-f", "{{.HostConfig.ReadonlyRootfs}}", inspectable).out == "true")
            let withTmpfs = d.docker("run", "--rm", "--read-only", "--tmpfs", "/tmp", "busybox", "touch", "/tmp/ok")
            #expect(withTmpfs.status == 0, "a tmpfs stays writable: \(withTmpfs)")
        }
    }
}
