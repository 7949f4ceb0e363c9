import Testing
@testable import Client

/// Table layout as Go's tabwriter lays out docker's tables.
@Suite struct ListFormatterTests {
    @Test func tabWriterPadsToWidestCellPlusThreeAtLeastTen() {
        let text = "CONTAINER ID\tIMAGE\tNAMES\n6d473805dc1f\tbusybox\tref2\n"
        #expect(TabWriter().format(text) == """
        CONTAINER ID   IMAGE     NAMES
        6d473805dc1f   busybox   ref2

        """)
    }

    @Test func emptyCellsArePadded() {
        #expect(TabWriter().format("A\tPORTS\tB\nx\t\ty\n") == "A         PORTS     B\nx                   y\n")
    }

    @Test func tableFormatPrintsHeaderRow() throws {
        let rows: [TemplateValue] = [.object(["ID": .string("abc"), "Names": .string("web")])]
        let out = try ListFormatter(format: "table {{.ID}}\\t{{.Names}}", headers: ["ID": "CONTAINER ID", "Names": "NAMES"]).render(rows)
        #expect(out == "CONTAINER ID   NAMES\nabc            web\n")
    }

    @Test func plainFormatHasNoHeader() throws {
        let rows: [TemplateValue] = [.object(["ID": .string("a")]), .object(["ID": .string("b")])]
        #expect(try ListFormatter(format: "{{.ID}}", headers: [:]).render(rows) == "a\nb\n")
    }

    @Test func jsonShorthandSortsKeys() throws {
        let rows: [TemplateValue] = [.object(["b": .string("2"), "a": .string("1")])]
        #expect(try ListFormatter(format: "json", headers: [:]).render(rows) == "{\"a\":\"1\",\"b\":\"2\"}\n")
    }
}
