import Testing
@testable import Client

/// The Go-template subset of `--format` and `inspect -f`.
@Suite struct GoTemplateTests {
    let container = try! TemplateValue(json: Array("""
    {"Id":"abc","Name":"/web","State":{"Status":"running","Pid":42,"Running":true},
     "Config":{"Cmd":["sh","-c","x"],"Labels":{"b":"2","a":"1"},"Env":null},
     "HostConfig":{"Memory":536870912,"NanoCpus":1500000000}}
    """.utf8))

    func render(_ text: String, _ value: TemplateValue? = nil) throws -> String {
        try GoTemplate(text).render(value ?? container)
    }

    @Test func fieldsAndNestedFields() throws {
        #expect(try render("{{.Id}} {{.State.Status}} {{.State.Pid}}") == "abc running 42")
    }

    @Test func largeIntegersPrintWithoutExponent() throws {
        #expect(try render("{{.HostConfig.Memory}}") == "536870912")
    }

    @Test func jsonKeepsDocumentKeyOrder() throws {
        #expect(try render("{{json .State}}") == #"{"Status":"running","Pid":42,"Running":true}"#)
        #expect(try render("{{json .Config.Cmd}}") == #"["sh","-c","x"]"#)
    }

    @Test func goPrintsSlicesAndMapsLikeFmt() throws {
        #expect(try render("{{.Config.Cmd}}") == "[sh -c x]")
        #expect(try render("{{.Config.Labels}}") == "map[a:1 b:2]")
        #expect(try render("{{.Missing}}") == "<no value>")
    }

    @Test func strictModeNamesTheMissingKey() {
        #expect(throws: TemplateError.self) { try GoTemplate("{{.Nope}}", strictFields: true).render(container) }
    }

    @Test func rangeWithVariablesSortsMapKeys() throws {
        #expect(try render("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}") == "a=1;b=2;")
        #expect(try render("{{range .Config.Cmd}}<{{.}}>{{end}}") == "<sh><-c><x>")
        #expect(try render("{{range .Config.Env}}x{{else}}empty{{end}}") == "empty")
    }

    @Test func conditionalsAndElseIf() throws {
        #expect(try render("{{if .State.Running}}up{{else}}down{{end}}") == "up")
        #expect(try render("{{if eq .State.Status \"exited\"}}a{{else if eq .State.Status \"running\"}}b{{else}}c{{end}}") == "b")
        #expect(try render("{{with .State}}{{.Pid}}{{end}}") == "42")
    }

    @Test func dockerFunctions() throws {
        #expect(try render("{{index .Config.Labels \"a\"}}") == "1")
        #expect(try render("{{join .Config.Cmd \",\"}}") == "sh,-c,x")
        #expect(try render("{{upper .State.Status}} {{lower \"AB\"}} {{title \"hello world\"}}") == "RUNNING ab Hello World")
        #expect(try render("{{len .Config.Cmd}}") == "3")
        #expect(try render("{{split \"a:b\" \":\"}}") == "[a b]")
        #expect(try render("{{.State.Status | upper}}") == "RUNNING")
        #expect(try render("{{printf \"%s-%d\" .Name .State.Pid}}") == "/web-42")
        #expect(try render("{{truncate .Id 2}}|{{pad .Id 1 1}}") == "ab| abc ")
    }

    @Test func trimMarkersEatWhitespace() throws {
        #expect(try render("a  {{- .Id -}}  b") == "aabcb")
    }

    @Test func parseErrorsAreReported() {
        #expect(throws: TemplateError.self) { try GoTemplate("{{.Id") }
        #expect(throws: TemplateError.self) { try GoTemplate("{{if .Id}}x") }
        #expect(throws: TemplateError.self) { try GoTemplate("{{nosuchfunc .Id}}").render(container) }
    }
}
