import Testing
@testable import Build
@testable import DockerfileCore

private let multiStage = """
    ARG BASE=alpine
    ARG TAG=3.19
    FROM ${BASE}:${TAG} AS deps
    RUN echo deps
    FROM golang:1 AS build
    COPY --from=deps /x /x
    FROM scratch AS unused
    FROM build AS test
    FROM debian
    COPY --from=build /app /app
    RUN --mount=type=bind,from=deps,target=/d true
    """

@Test func planNeedsOnlyTargetStages() throws {
    let stages = try DockerfileStages.parse(multiStage)
    #expect(stages.metaArgs.count == 2)
    #expect(stages.stages.map(\.name) == ["deps", "build", "unused", "test", nil])
    let plan = try stages.plan(buildArgs: ["TAG": "3.20", "NOPE": "1", "HTTP_PROXY": "http://p"])
    #expect(plan.targetIndex == 4)
    #expect(plan.stages.map(\.stage.index) == [0, 1, 4])
    #expect(plan.stages[0].base == .image("alpine:3.20"))
    #expect(plan.stages[2].dependencies == [1, 0])
    #expect(plan.unusedBuildArgs == ["NOPE"])
    let test = try stages.plan(target: "TEST")
    #expect(test.stages.map(\.stage.index) == [0, 1, 3])
    #expect(test.stages.last?.base == .stage(1))
}

@Test func unknownTargetAndStageErrors() throws {
    let stages = try DockerfileStages.parse(multiStage)
    #expect(throws: DockerfileError.self) { try stages.plan(target: "nope") }
    let later = try DockerfileStages.parse("FROM a AS one\nCOPY --from=two /x /x\nFROM b AS two\n")
    do {
        _ = try later.plan()
        Issue.record("accepted")
    } catch {
        #expect(error.description == "Dockerfile:2: cannot copy from stage \"two\", it needs to be defined before current stage \"one\"")
    }
    let index = try DockerfileStages.parse("FROM a\nCOPY --from=3 /x /x\n")
    #expect(throws: DockerfileError.self) { try index.plan() }
    let variable = try DockerfileStages.parse("FROM a\nCOPY --from=$X /x /x\n")
    #expect(throws: DockerfileError.self) { try variable.plan() }
    let image = try DockerfileStages.parse("FROM a\nCOPY --from=nginx:latest /x /x\n")
    #expect(try image.plan().stages[0].dependencies.isEmpty)
}

@Test func instructionBeforeFromIsAnError() {
    do {
        _ = try DockerfileStages.parse("ARG A\nRUN x\nFROM a\n")
        Issue.record("accepted")
    } catch {
        #expect(error.description == "Dockerfile:2: no build stage in current context")
    }
}

@Test func blankBaseNameIsAnError() throws {
    let stages = try DockerfileStages.parse("ARG IMAGE\nFROM $IMAGE\n")
    #expect(throws: DockerfileError.self) { try stages.plan() }
    #expect(try stages.plan(buildArgs: ["IMAGE": "busybox"]).stages[0].base == .image("busybox"))
}

@Test func globalArgsExpandInOrder() throws {
    let stages = try DockerfileStages.parse("ARG A=1\nARG B=${A}2\nFROM x:$B\n")
    let plan = try stages.plan()
    #expect(plan.globalArgs == ["A": "1", "B": "12"])
    #expect(plan.stages[0].base == .image("x:12"))
}

@Test func circularStageReferencesAreReported() throws {
    let cycle = try DockerfileStages.parse("FROM a AS one\nCOPY --from=two /x /x\nFROM b AS two\nCOPY --from=one /y /y\n")
    do {
        _ = try cycle.plan()
        Issue.record("accepted")
    } catch {
        #expect(error.description == "Dockerfile:4: circular dependency detected on stage: one")
    }
    let itself = try DockerfileStages.parse("FROM a AS one\nRUN --mount=from=one,target=/x true\n")
    #expect(throws: DockerfileError.self) { try itself.plan() }
}
