// `COPY --link` end to end on the build suite's daemon: the copied files form a layer of their own
// (seen from inside a container of the built image), reused after an earlier step changed.
import Foundation
import Glibc
import Testing

extension EngineE2E.Build {
    @Test func linkCopyIsAnIndependentLayerReusedAfterAnEarlierChange() throws {
        let d = try currentDaemon()
        let ctx = try BuildContext([
            "before.txt": "one\n",
            "f.txt": "linked \(UInt32.random(in: 0...UInt32.max))\n",
            "Dockerfile": """
                FROM busybox
                RUN mkdir /real && ln -s real /app
                COPY before.txt /before.txt
                COPY --link f.txt /app/f.txt
                COPY --link --chown=app f.txt /owned/
                COPY --link <<EOT /app/doc.txt
                heredoc
                EOT
                RUN cat /app/f.txt > /seen
                """,
        ])
        defer { ctx.remove() }
        let tag = uniqueName("link")
        defer { d.docker("rmi", "-f", tag) }
        let first = berth(d, ["build", "-t", tag, ctx.path])
        #expect(first.status == 0, "\(first)")
        // The link layer made /app a directory of its own instead of writing through the symlink.
        let probe = d.docker("run", "--rm", tag, "sh", "-c",
                             "test -L /app && echo link || echo dir; cat /app/f.txt /app/doc.txt; test -e /real/f.txt && echo leaked || echo real-empty; stat -c '%U %a' /owned/f.txt; cat /seen")
        let content = try String(contentsOfFile: ctx.path + "/f.txt", encoding: .utf8).trimmingCharacters(in: .newlines)
        #expect(probe.lines == ["dir", content, "heredoc", "real-empty", "app 644", content], "\(probe)")
        let layersBefore = d.dockerOK("image", "inspect", "-f", "{{json .RootFS.Layers}}", tag).out

        // An earlier step changes: the link layers are taken from the cache (same diff IDs), the RUN after them runs.
        try ctx.write("before.txt", "two\n")
        let second = berth(d, ["build", "-t", tag, ctx.path])
        #expect(second.status == 0, "\(second)")
        #expect(second.stdout.components(separatedBy: "Using cache (linked layer").count - 1 == 3, "every link step rebased: \(second)")
        let layersAfter = d.dockerOK("image", "inspect", "-f", "{{json .RootFS.Layers}}", tag).out
        let before = (parseJSON(layersBefore) as? [String]) ?? []
        let after = (parseJSON(layersAfter) as? [String]) ?? []
        #expect(before.count == 7 && after.count == 7, "\(before) \(after)")
        if before.count == 7 && after.count == 7 {
            #expect(before[2] != after[2], "the changed COPY is a new layer")
            #expect(before[3...5] == after[3...5], "the link layers are the same layers")
        }
        #expect(d.docker("run", "--rm", tag, "cat", "/before.txt", "/seen").lines == ["two", content])
        // Unchanged: every step from the ordinary cache.
        let third = berth(d, ["build", "-t", tag, ctx.path])
        #expect(third.stdout.components(separatedBy: "Using cache").count - 1 == 6 && !third.stdout.contains("linked layer"), "\(third)")
    }
}
