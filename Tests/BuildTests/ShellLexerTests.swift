import Testing
@testable import Build
@testable import DockerfileCore

private let environment = ShellEnvironment(["PWD=/home", "SHELL=bash", "NULL=", "KOREAN=한국어", "SPACE=abc  def", "PATHS=/usr/local/bin"])

private func word(_ text: String, escape: Character = "\\") throws(DockerfileError) -> String {
    try ShellLexer(escapeToken: escape).processWord(text, environment: environment)
}

@Test(arguments: [
    ("hello", "hello"), ("he'll'o", "hello"), ("he\\'llo", "he'llo"), ("abc\\tdef", "abctdef"),
    ("\"abc\\tdef\"", "abc\\tdef"), ("'abc\\tdef'", "abc\\tdef"), ("hello\\", "hello"), ("hello\\\\", "hello\\"),
    ("$.", "$."), ("he$1x", "hex"), ("he$PWD", "he/home"), ("he\\$PWD", "he$PWD"), ("he\\\\$PWD", "he\\/home"),
    ("\"he\\$PWD\"", "he$PWD"), ("'$PWD'", "$PWD"), ("'\\$PWD'", "\\$PWD"), ("\\${}", "${}"), ("he${hi}xx", "hexx"),
    ("he${XXX:-000}xx", "he000xx"), ("he${PWD:-000}xx", "he/homexx"), ("he${XXX:-${PWD:-yyy}}xx", "he/homexx"),
    ("he${XXX:-${YYY:-yyy}}xx", "heyyyxx"), ("he${NULL-x}", "he"), ("he${NULL:-x}", "hex"), ("he${XXX-x}", "hex"),
    ("he${PWD:+${SHELL}}xx", "hebashxx"), ("he${NULL+set}", "heset"), ("he${NULL:+set}", "he"), ("he${XXX+set}", "he"),
    ("he${PWD?}", "he/home"), ("he${NULL?}", "he"), ("he${XXX:-\\$PWD:}xx", "he$PWD:xx"), ("${aaa:-bbb}}", "bbb}"),
    ("안녕$KOREAN", "안녕한국어"), ("$@@@", "@@"), ("${999:-bbb}aaa", "bbbaaa"), ("\"he'$PWD'\"", "he'/home'"),
    ("${PATHS#*/}", "usr/local/bin"), ("${PATHS##*/}", "bin"), ("${PATHS%/*}", "/usr/local"), ("${PATHS%%/l*}", "/usr"),
    ("${PATHS/local/opt}", "/usr/opt/bin"), ("${PATHS//\\//:}", ":usr:local:bin"),
])
func expandsLikeDocker(_ input: String, _ expected: String) throws {
    #expect(try word(input) == expected)
}

@Test(arguments: [
    "he'llo", "he\\\\'llo", "\"hello", "'hello", "${}", "he${.}", "he${XXX:YYY}", "he${XXX?}", "he${XXX:?}",
    "he${NULL:?}", "he${PWD", "he${PWD:=000}xx", "${{aaa}", "${:}", "${aaa:-bbb ${foo}",
])
func rejectsLikeDocker(_ input: String) {
    #expect(throws: DockerfileError.self) { try word(input) }
}

@Test func requiredVariableMessage() {
    do {
        _ = try word("${XXX:?must be set}")
        Issue.record("accepted")
    } catch {
        #expect(error.message == "failed to process \"${XXX:?must be set}\": XXX: must be set")
    }
}

@Test func backtickEscape() throws {
    #expect(try word("a`$PWD\\", escape: "`") == "a$PWD\\")
}

@Test func wordSplittingAfterExpansion() throws {
    let lexer = ShellLexer()
    #expect(try lexer.processWords("hello${SPACE}bye", environment: environment) == ["helloabc", "defbye"])
    #expect(try lexer.processWords("hello\"${SPACE}\"bye", environment: environment) == ["helloabc  defbye"])
    #expect(try lexer.processWords("hello there  ", environment: environment) == ["hello", "there"])
    #expect(try lexer.processWords("hello\\ there", environment: environment) == ["hello there"])
    #expect(try lexer.processWords("a${X:-b}c", environment: environment) == ["abc"])
}

@Test func unsetVariablesKeptWhenAsked() throws {
    var lexer = ShellLexer()
    lexer.skipUnsetEnv = true
    #expect(try lexer.processWord("$A ${B} ${C:-x} $PWD", environment: environment) == "$A ${B} ${C:-x} /home")
}

@Test func matchedAndUnmatchedNamesAreReported() throws {
    let result = try ShellLexer().expand("$PWD $NOPE", environment: environment)
    #expect(result.matched == ["PWD"])
    #expect(result.unmatched == ["NOPE"])
}

@Test(arguments: [
    ("${FOO#*x*y}", "xxyy", "y"), ("${FOO#*}", "xxyy", "xxyy"), ("${FOO##*x}", "xxyy", "yy"), ("${FOO#?\\?}", "???y", "?y"),
    ("${FOO%%\\**}", "xx**", "xx"), ("${FOO%y}", "xxyy", "xxy"), ("${FOO/x/z}", "xxyy", "zxyy"), ("${FOO//x/z}", "xxyy", "zzyy"),
])
func patternModifiers(_ input: String, _ value: String, _ expected: String) throws {
    #expect(try ShellLexer().processWord(input, environment: ShellEnvironment(["FOO=" + value])) == expected)
}
