import OCI
import Testing
@testable import Build
@testable import DockerfileCore

private func typed(_ text: String) throws -> [InstructionCommand] {
    try Dockerfile.parse(text).instructions().map(\.command)
}

private func failure(_ text: String) -> DockerfileError? {
    do {
        _ = try Dockerfile.parse(text).instructions()
        return nil
    } catch {
        return error
    }
}

@Test func unknownInstructionNamesLine() {
    #expect(failure("FROM a\nRUN x\n\n\n\n\nFORM b\n")?.description == "Dockerfile:7: unknown instruction: FORM")
}

@Test func fromForms() throws {
    let commands = try typed("FROM --platform=$BUILDPLATFORM golang:1 AS Build\nFROM scratch\n")
    #expect(commands[0] == .from(FromInstruction(baseName: "golang:1", stageName: "build", platform: "$BUILDPLATFORM")))
    #expect(commands[1] == .from(FromInstruction(baseName: "scratch")))
    #expect(failure("FROM a AS\n")?.message == "FROM requires either one or three arguments")
    #expect(failure("FROM a AS 1x\n")?.kind == .syntax)
    #expect(failure("FROM --plat=x a\n")?.message == "unknown flag: --plat")
}

@Test func runFlagsAndMounts() throws {
    let commands = try typed(
        "FROM a\nRUN --mount=type=cache,target=/root/.cache,sharing=locked --network=none --mount=type=secret,id=tok make\n")
    guard case .run(let run) = commands[1] else {
        Issue.record("not a run")
        return
    }
    #expect(run.commandLine == ShellCommandLine(arguments: ["make"], prependShell: true))
    #expect(run.network == .none)
    #expect(run.mountSpecs.count == 2)
    #expect(run.flagsUsed == ["mount", "network"])
    let cache = try RunMount.parse(run.mountSpecs[0]) { $0 }
    #expect(cache == RunMount(type: .cache, target: "/root/.cache", readOnly: false, sharing: .locked))
    let secret = try RunMount.parse(run.mountSpecs[1]) { $0 }
    #expect(secret.type == .secret && secret.id == "tok" && secret.readOnly)
    #expect(try RunMount.parse("type=tmpfs,target=/t,size=64m") { $0 }.sizeLimit == 64 * 1024 * 1024)
    #expect(try RunMount.parse("type=bind,source=.,target=/src,rw") { $0 }.readOnly == false)
    #expect(throws: DockerfileError.self) { try RunMount.parse("type=bind,target=/x,sharing=shared") { $0 } }
    #expect(throws: DockerfileError.self) { try RunMount.parse("type=volume") { $0 } }
    #expect(throws: DockerfileError.self) { try RunMount.parse("type=secret") { $0 } }
    #expect(failure("FROM a\nRUN --network=bridge x\n")?.message == "invalid network mode \"bridge\"")
    #expect(failure("FROM a\nRUN --mount=from=$X,target=/x y\n")?.kind == .flag)
    #expect(failure("FROM a\nRUN --networks=none x\n")?.message == "unknown flag: --networks")
}

@Test func cmdAndEntrypoint() throws {
    let commands = try typed("FROM a\nCMD echo  hi\nCMD [\"a\", \"b\"]\nENTRYPOINT []\n")
    #expect(commands[1] == .cmd(ShellCommandLine(arguments: ["echo  hi"], prependShell: true)))
    #expect(commands[2] == .cmd(ShellCommandLine(arguments: ["a", "b"], prependShell: false)))
    #expect(commands[3] == .entrypoint(ShellCommandLine(arguments: [], prependShell: false)))
}

@Test func envArgLabel() throws {
    let commands = try typed("ARG A B=2 C=\nFROM a\nENV x=1\nLABEL a=b\n")
    #expect(
        commands[0]
            == .arg([ArgDefinition(name: "A"), ArgDefinition(name: "B", defaultValue: "2"), ArgDefinition(name: "C", defaultValue: "")]))
    #expect(commands[2] == .env([KeyValue(key: "x", value: "1")]))
    #expect(failure("FROM a\nARG =x\n")?.message == "ARG names can not be blank")
    #expect(failure("FROM a\nENV =x\n")?.message == "ENV names can not be blank")
}

@Test func copyAndAddFlags() throws {
    let commands = try typed(
        "FROM a\nCOPY --from=build --chown=app:app --chmod=755 --link --parents --exclude=*.md --exclude=tmp a b /dst/\nADD --checksum=sha256:x --keep-git-dir https://x/y.git /src\nCOPY [\"a b\", \"/c\"]\n")
    #expect(
        commands[1]
            == .copy(
                CopyInstruction(
                    sources: ["a", "b"], destination: "/dst/", from: "build", chown: "app:app", chmod: "755", link: true, parents: true,
                    excludes: ["*.md", "tmp"])))
    guard case .add(let add) = commands[2] else {
        Issue.record("not add")
        return
    }
    #expect(add.checksum == "sha256:x" && add.keepGitDir == true && add.unpack == nil)
    #expect(commands[3] == .copy(CopyInstruction(sources: ["a b"], destination: "/c")))
    #expect(failure("FROM a\nCOPY onlyone\n")?.kind == .arguments)
    #expect(failure("FROM a\nADD --from=x a b\n")?.message == "unknown flag: --from")
    #expect(failure("FROM a\nCOPY --link=maybe a b\n")?.message == "expecting boolean value for flag --link, not: maybe")
    #expect(failure("FROM a\nCOPY --chown a b\n")?.message == "missing a value on flag: --chown")
    #expect(failure("FROM a\nCOPY --chown=a --chown=b a b\n")?.message == "duplicate flag specified: --chown")
}

@Test func copyHeredocSources() throws {
    let commands = try typed("FROM a\nCOPY <<-EOF <<'RAW' /dst/\n\thello $X\n\tEOF\n$Y\nRAW\n")
    guard case .copy(let copy) = commands[1] else {
        Issue.record("not copy")
        return
    }
    #expect(copy.sources.isEmpty)
    #expect(
        copy.sourceContents == [
            HeredocSource(path: "EOF", data: "hello $X\n", expand: true), HeredocSource(path: "RAW", data: "$Y\n", expand: false),
        ])
    #expect(failure("FROM a\nCOPY x <<EOF\nEOF\n")?.message == "COPY cannot accept a heredoc as a destination")
}

@Test func singleArgumentInstructions() throws {
    let commands = try typed("FROM a\nWORKDIR /a b\nUSER app:app\nSTOPSIGNAL SIGKILL\nMAINTAINER Me <m@e>\nVOLUME /a /b\nVOLUME [\"/c\"]\n")
    #expect(commands[1] == .workdir("/a b"))
    #expect(commands[2] == .user("app:app"))
    #expect(commands[3] == .stopSignal("SIGKILL"))
    #expect(commands[4] == .maintainer("Me <m@e>"))
    #expect(commands[5] == .volume(["/a", "/b"]))
    #expect(commands[6] == .volume(["/c"]))
    #expect(failure("FROM a\nWORKDIR\n")?.message == "WORKDIR requires exactly one argument")
    #expect(failure("FROM a\nEXPOSE\n")?.message == "EXPOSE requires at least one argument")
}

@Test func healthchecks() throws {
    let commands = try typed(
        "FROM a\nHEALTHCHECK --interval=30s --timeout=1m30s --start-period=1.5s --retries=3 CMD curl -f http://x/ || exit 1\nHEALTHCHECK NONE\nHEALTHCHECK CMD [\"/bin/check\"]\n"
    )
    #expect(
        commands[1]
            == .healthcheck(
                Healthcheck(
                    test: ["CMD-SHELL", "curl -f http://x/ || exit 1"], interval: 30_000_000_000, timeout: 90_000_000_000,
                    startPeriod: 1_500_000_000, startInterval: 0, retries: 3)))
    #expect(commands[2] == .healthcheck(Healthcheck(test: ["NONE"])))
    guard case .healthcheck(let exec) = commands[3] else { return }
    #expect(exec.test == ["CMD", "/bin/check"])
    #expect(failure("FROM a\nHEALTHCHECK NONE x\n")?.message == "HEALTHCHECK NONE takes no arguments")
    #expect(failure("FROM a\nHEALTHCHECK --interval=1us CMD x\n")?.message == "Interval \"interval\" cannot be less than 1ms")
    #expect(failure("FROM a\nHEALTHCHECK --retries=-1 CMD x\n")?.message == "--retries cannot be negative (-1)")
    #expect(failure("FROM a\nHEALTHCHECK RUN x\n")?.kind == .arguments)
}

@Test func shellNeedsJSON() throws {
    #expect(try typed("FROM a\nSHELL [\"/bin/bash\", \"-c\"]\n")[1] == .shell(["/bin/bash", "-c"]))
    #expect(failure("FROM a\nSHELL /bin/bash -c\n")?.message == "SHELL requires the arguments to be in JSON form")
}

@Test func onbuildTriggers() throws {
    let commands = try typed("FROM a\nONBUILD ADD . /app\nONBUILD RUN <<EOF\necho hi\nEOF\n")
    guard case .onbuild(let expression, let trigger) = commands[1] else {
        Issue.record("not onbuild")
        return
    }
    #expect(expression == "ADD . /app")
    #expect(trigger?.command == .add(CopyInstruction(sources: ["."], destination: "/app")))
    guard case .onbuild(let heredocExpression, _) = commands[2] else { return }
    #expect(heredocExpression == "RUN <<EOF\necho hi\nEOF")
    #expect(failure("FROM a\nONBUILD ONBUILD RUN x\n")?.message == "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")
    #expect(failure("FROM a\nONBUILD FROM b\n")?.message == "FROM isn't allowed as an ONBUILD trigger")
}
