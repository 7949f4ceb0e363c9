import OCI
import Testing
@testable import Build
@testable import DockerfileCore

private func build(_ text: String, buildArgs: [String: String] = [:], base: ImageConfig? = nil) throws -> (StageState, [BuildStep]) {
    let stages = try DockerfileStages.parse(text)
    let plan = try stages.plan(buildArgs: buildArgs)
    var state = StageState(plan: plan, base: base)
    var steps: [BuildStep] = []
    for instruction in plan.stages.last!.stage.instructions { steps.append(try state.apply(instruction)) }
    return (state, steps)
}

private func baseImage(_ config: ContainerConfig) -> ImageConfig {
    ImageConfig(architecture: "amd64", os: "linux", config: config, rootfs: RootFS(diffIDs: []))
}

@Test func metadataHistoryIsDockersLegacyText() throws {
    let (state, steps) = try build(
        "FROM scratch\nENV A=1 B=\"two words\"\nLABEL x=y\nCMD [\"sh\"]\nEXPOSE 80 53/udp\nUSER app\nVOLUME /data\nSTOPSIGNAL SIGINT\nMAINTAINER me\n")
    #expect(
        steps.map(\.history.createdBy) == [
            "/bin/sh -c #(nop)  ENV A=1 B=two words", "/bin/sh -c #(nop)  LABEL x=y", "/bin/sh -c #(nop)  CMD [\"sh\"]",
            "/bin/sh -c #(nop)  EXPOSE 53/udp 80", "/bin/sh -c #(nop)  USER app", "/bin/sh -c #(nop)  VOLUME [/data]",
            "/bin/sh -c #(nop)  STOPSIGNAL SIGINT", "/bin/sh -c #(nop)  MAINTAINER me",
        ])
    #expect(steps.allSatisfy { $0.history.emptyLayer == true && $0.action == .metadata })
    let config = state.config
    #expect(config.env == ["PATH=\(StageState.defaultPath)", "A=1", "B=two words"])
    #expect(config.labels == ["x": "y"])
    #expect(config.exposedPorts == ["80/tcp": EmptyObject(), "53/udp": EmptyObject()])
    #expect(config.user == "app" && config.stopSignal == "SIGINT" && config.volumes == ["/data": EmptyObject()])
    #expect(state.image.author == "me")
}

@Test func entrypointResetsInheritedCmdButKeepsOwn() throws {
    let base = baseImage(ContainerConfig(env: ["PATH=/bin"], cmd: ["bash"]))
    let (inherited, _) = try build("FROM img\nENTRYPOINT [\"/app\"]\n", base: base)
    #expect(inherited.config.entrypoint == ["/app"])
    #expect(inherited.config.cmd == nil)
    let (cleared, clearedSteps) = try build("FROM img\nENTRYPOINT []\n", base: base)
    #expect(cleared.config.entrypoint == nil && cleared.config.cmd == nil)
    #expect(clearedSteps[0].history.createdBy == "/bin/sh -c #(nop)  ENTRYPOINT []")
    #expect(inherited.config.env == ["PATH=/bin"])
    let (own, _) = try build("FROM img\nCMD [\"--help\"]\nENTRYPOINT /app run\n", base: base)
    #expect(own.config.cmd == ["--help"])
    #expect(own.config.entrypoint == ["/bin/sh", "-c", "/app run"])
}

@Test func shellChangesShellFormAndHistory() throws {
    let (state, steps) = try build("FROM scratch\nSHELL [\"/bin/bash\", \"-c\"]\nCMD echo hi\nRUN make\n")
    #expect(steps[0].history.createdBy == "/bin/bash -c #(nop)  SHELL [/bin/bash -c]")
    #expect(state.config.cmd == ["/bin/bash", "-c", "echo hi"])
    #expect(steps[1].history.createdBy == "/bin/bash -c #(nop)  CMD [\"/bin/bash\" \"-c\" \"echo hi\"]")
    guard case .run(let run) = steps[2].action else {
        Issue.record("no run")
        return
    }
    #expect(run.argv == ["/bin/bash", "-c", "make"])
}

@Test func runGetsBuildArgsAndHistoryPrefix() throws {
    let text = "ARG G=global\nFROM scratch\nARG V=1\nARG G\nARG UNSET\nENV V=fromenv\nRUN echo $V\nRUN [\"true\"]\n"
    let (_, steps) = try build(text, buildArgs: ["G": "override", "HTTP_PROXY": "http://proxy"])
    guard case .run(let run) = steps[4].action else {
        Issue.record("no run")
        return
    }
    #expect(run.argv == ["/bin/sh", "-c", "echo $V"])
    #expect(run.env == ["PATH=\(StageState.defaultPath)", "V=fromenv", "G=override", "HTTP_PROXY=http://proxy"])
    #expect(steps[4].history.createdBy == "|1 G=override /bin/sh -c echo $V")
    #expect(steps[4].history.emptyLayer == nil)
    #expect(steps[5].history.createdBy == "|1 G=override true")
    #expect(steps[1].history.createdBy == "/bin/sh -c #(nop)  ARG G")
}

@Test func predefinedProxyArgsStayOutOfHistoryUnlessDeclared() throws {
    let (_, plain) = try build("FROM scratch\nRUN true\n", buildArgs: ["HTTP_PROXY": "p"])
    #expect(plain[0].history.createdBy == "|0 /bin/sh -c true")
    let (_, declared) = try build("FROM scratch\nARG HTTP_PROXY\nRUN true\n", buildArgs: ["HTTP_PROXY": "p"])
    #expect(declared[1].history.createdBy == "|1 HTTP_PROXY=p /bin/sh -c true")
}

@Test func globalArgsNeedRedeclaring() throws {
    let (undeclared, _) = try build("ARG V=1\nFROM scratch\nENV X=${V:-none}\n")
    #expect(undeclared.config.env?.last == "X=none")
    let (declared, _) = try build("ARG V=1\nFROM scratch\nARG V\nENV X=$V\n")
    #expect(declared.config.env?.last == "X=1")
}

@Test func envUsesValuesFromBeforeTheInstruction() throws {
    let (state, _) = try build("FROM scratch\nENV A=1\nENV A=2 B=$A\nENV A=${A}x\n")
    #expect(state.config.env == ["PATH=\(StageState.defaultPath)", "A=2x", "B=1"])
}

@Test func workdirIsRelativeAndExpanded() throws {
    let (state, steps) = try build("FROM scratch\nENV D=app\nWORKDIR /srv\nWORKDIR $D/../web\nCOPY x .\n")
    #expect(state.config.workingDir == "/srv/web")
    #expect(steps[2].action == .workdir("/srv/web"))
    #expect(steps[2].history.createdBy == "/bin/sh -c #(nop) WORKDIR /srv/web")
    guard case .copy(let copy) = steps[3].action else {
        Issue.record("no copy")
        return
    }
    #expect(copy.destination == "/srv/web")
    #expect(copy.createdBy(sourceDigest: "file:abc") == "/bin/sh -c #(nop) COPY file:abc in . ")
}

@Test func copyExpandsAndResolvesStages() throws {
    let text = "FROM a AS first\nFROM scratch\nARG OWNER=1000\nWORKDIR /w\nCOPY --from=first --chown=$OWNER src/ dst/\nCOPY <<EOF <<'RAW' /f/\n$OWNER\nEOF\n$OWNER\nRAW\n"
    let (_, steps) = try build(text)
    guard case .copy(let copy) = steps[2].action, case .copy(let heredoc) = steps[3].action else {
        Issue.record("no copy")
        return
    }
    #expect(copy.from == .stage(0))
    #expect(copy.chown == "1000")
    #expect(copy.createdBy(sourceDigest: "dir:abc") == "/bin/sh -c #(nop) COPY --chown=1000dir:abc in dst/ ")
    #expect(copy.destination == "/w/dst/")
    #expect(heredoc.sourceContents.map(\.data) == ["1000\n", "$OWNER\n"])
}

@Test func exposeSplitsExpandedWordsAndRanges() throws {
    let (state, steps) = try build("FROM scratch\nENV PORTS=\"80 443\"\nEXPOSE $PORTS 8000-8002/udp\n")
    #expect(Set(state.config.exposedPorts!.keys) == ["80/tcp", "443/tcp", "8000/udp", "8001/udp", "8002/udp"])
    #expect(steps[1].history.createdBy == "/bin/sh -c #(nop)  EXPOSE 80 443 8000-8002/udp")
    #expect(throws: DockerfileError.self) { try build("FROM scratch\nEXPOSE 80/xyz\n") }
    #expect(throws: DockerfileError.self) { try build("FROM scratch\nEXPOSE 90-80\n") }
}

@Test func healthcheckHistoryMatchesGoFormatting() throws {
    let (state, steps) = try build("FROM scratch\nHEALTHCHECK --interval=5m --timeout=3s --retries=3 CMD curl -f http://localhost/\n")
    #expect(
        steps[0].history.createdBy
            == "/bin/sh -c #(nop)  HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f http://localhost/\"] \"5m0s\" \"3s\" \"0s\" '\\x03'}")
    #expect(state.config.healthcheck == Healthcheck(test: ["CMD-SHELL", "curl -f http://localhost/"], interval: 300_000_000_000, timeout: 3_000_000_000, retries: 3))
}

@Test func onbuildIsStoredAndRunWhenUsedAsBase() throws {
    let (parent, steps) = try build("FROM scratch\nONBUILD COPY . /app\nONBUILD RUN make\n")
    #expect(parent.config.onBuild == ["COPY . /app", "RUN make"])
    #expect(steps[1].history.createdBy == "/bin/sh -c #(nop)  ONBUILD RUN make")
    let plan = try DockerfileStages.parse("FROM parent\n").plan()
    var child = StageState(plan: plan, base: parent.image)
    #expect(child.config.onBuild == nil)
    let triggers = try child.takeOnBuildTriggers()
    #expect(triggers.map(\.keyword) == ["COPY", "RUN"])
    #expect(child.pendingTriggers.isEmpty)
    guard case .run(let run) = try child.apply(triggers[1]).action else {
        Issue.record("no run")
        return
    }
    #expect(run.argv == ["/bin/sh", "-c", "make"])
}

@Test func runHeredocsBecomeShellScripts() throws {
    let (_, steps) = try build("FROM scratch\nRUN <<EOF\necho a\nEOF\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n")
    guard case .run(let simple) = steps[0].action, case .run(let script) = steps[1].action else {
        Issue.record("no run")
        return
    }
    #expect(simple.argv == ["/bin/sh", "-c", "echo a\n"])
    #expect(script.argv == ["/bin/sh", "-c", "/dev/pipes/EOF"])
    #expect(script.files.map(\.name) == ["EOF"])
}

@Test func runMountsExpandAndExpansionErrorsCarryLines() throws {
    let (_, steps) = try build("FROM scratch\nARG DIR=/cache\nRUN --mount=type=cache,target=$DIR make\n")
    guard case .run(let run) = steps[1].action else {
        Issue.record("no run")
        return
    }
    #expect(run.mounts == [RunMount(type: .cache, target: "/cache", readOnly: false)])
    do {
        _ = try build("FROM scratch\n\nUSER ${NAME:?set NAME}\n")
        Issue.record("accepted")
    } catch let error as DockerfileError {
        #expect(error.line == 3)
        #expect(error.kind == .expansion)
    }
}

@Test func invalidStopSignal() {
    #expect(throws: DockerfileError.self) { try build("FROM scratch\nSTOPSIGNAL SIGFOO\n") }
}

/// The history and config docker 20.10's legacy builder produced for this Dockerfile (checked by hand
/// against `DOCKER_BUILDKIT=0 docker build` and `docker history --no-trunc`).
@Test func matchesDockerLegacyBuilderHistory() throws {
    let text = """
        FROM scratch
        ARG G=1
        ENV A=1 B="two words"
        LABEL x=y
        SHELL ["/bin/bash", "-c"]
        ENV C=$A
        CMD echo hi
        ENTRYPOINT ["/app", "x"]
        EXPOSE 80 53/udp
        USER app
        VOLUME /data /x
        STOPSIGNAL SIGINT
        HEALTHCHECK --interval=5m --timeout=3s --retries=3 CMD curl -f http://localhost/
        ONBUILD RUN make
        WORKDIR /srv
        WORKDIR web
        COPY f.txt .
        MAINTAINER me
        """
    let (state, steps) = try build(text, buildArgs: ["HTTP_PROXY": "p"])
    var history = steps.map { $0.history.createdBy ?? "" }
    if case .copy(let copy) = steps[15].action { history[15] = copy.createdBy(sourceDigest: "file:63e4") }
    #expect(
        history == [
            "/bin/sh -c #(nop)  ARG G=1", "/bin/sh -c #(nop)  ENV A=1 B=two words", "/bin/sh -c #(nop)  LABEL x=y",
            "/bin/bash -c #(nop)  SHELL [/bin/bash -c]", "/bin/bash -c #(nop)  ENV C=1",
            "/bin/bash -c #(nop)  CMD [\"/bin/bash\" \"-c\" \"echo hi\"]", "/bin/bash -c #(nop)  ENTRYPOINT [\"/app\" \"x\"]",
            "/bin/bash -c #(nop)  EXPOSE 53/udp 80", "/bin/bash -c #(nop)  USER app", "/bin/bash -c #(nop)  VOLUME [/data /x]",
            "/bin/bash -c #(nop)  STOPSIGNAL SIGINT",
            "/bin/bash -c #(nop)  HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f http://localhost/\"] \"5m0s\" \"3s\" \"0s\" '\\x03'}",
            "/bin/bash -c #(nop)  ONBUILD RUN make", "/bin/bash -c #(nop) WORKDIR /srv", "/bin/bash -c #(nop) WORKDIR /srv/web",
            "/bin/bash -c #(nop) COPY file:63e4 in . ", "/bin/bash -c #(nop)  MAINTAINER me",
        ])
    let config = state.config
    #expect(config.env == ["PATH=\(StageState.defaultPath)", "A=1", "B=two words", "C=1"])
    #expect(config.entrypoint == ["/app", "x"] && config.cmd == ["/bin/bash", "-c", "echo hi"])
    #expect(config.workingDir == "/srv/web" && config.onBuild == ["RUN make"] && config.shell == ["/bin/bash", "-c"])
}

@Test func cacheKeysFollowWhatTheStepDependsOn() throws {
    func key(_ text: String, _ args: [String: String] = [:]) throws -> String { try build(text, buildArgs: args).1.last!.cacheKey }
    let run = "FROM scratch\nARG V\nRUN make\n"
    #expect(try key(run, ["V": "1"]) == key(run, ["V": "1"]))
    #expect(try key(run, ["V": "1"]) != key(run, ["V": "2"]))
    #expect(try key("FROM scratch\nRUN <<EOF\n#!/bin/sh\na\nEOF\n") != key("FROM scratch\nRUN <<EOF\n#!/bin/sh\nb\nEOF\n"))
    #expect(try key("FROM scratch\nCOPY <<EOF /f\na\nEOF\n") != key("FROM scratch\nCOPY <<EOF /f\nb\nEOF\n"))
    #expect(try key("FROM scratch\nUSER a\nRUN x\n") != key("FROM scratch\nUSER b\nRUN x\n"))
    #expect(try key("FROM scratch\nCOPY a /x\n") != key("FROM scratch\nCOPY --chown=1 a /x\n"))
}

@Test func triggerErrorsPointAtFrom() throws {
    let base = ImageConfig(
        architecture: "amd64", os: "linux", config: ContainerConfig(onBuild: ["FORM x"]), rootfs: RootFS(diffIDs: []))
    let plan = try DockerfileStages.parse("FROM parent\n").plan()
    var state = StageState(plan: plan, base: base)
    do {
        _ = try state.takeOnBuildTriggers(lines: SourceLines(start: 4, end: 4))
        Issue.record("accepted")
    } catch {
        #expect(error.description == "Dockerfile:4: unknown instruction: FORM")
    }
    #expect(state.resolveSource("0") == .stage(0))
    #expect(state.resolveSource("alpine") == .image("alpine"))
}
