import DockerAPI
import Foundation
import Testing

/// Decoding of the image models from answers as dockerd sends them.
@Suite struct ImageModelsTests {
    @Test func imageSummaryToleratesNullListsAndUnknownKeys() throws {
        let json = """
        [{"Containers":-1,"Created":1795644239,"Id":"sha256:5a40","Labels":null,"ParentId":"","RepoDigests":null,\
        "RepoTags":["busybox:latest"],"SharedSize":-1,"Size":1982424,"VirtualSize":1982424,"Manifests":[]}]
        """
        let images = try JSONDecoder().decode([ImageSummary].self, from: Data(json.utf8))
        #expect(images.count == 1)
        #expect(images[0].id == "sha256:5a40")
        #expect(images[0].repoTags == ["busybox:latest"])
        #expect(images[0].repoDigests == [])
        #expect(images[0].labels == [:])
        #expect(images[0].containers == -1)
        #expect(images[0].size == 1982424)
    }

    @Test func imageSummaryEncodesDockerFieldNames() throws {
        let data = try JSONEncoder().encode(ImageSummary(id: "sha256:1", created: 5, size: 7))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        for key in ["Id", "ParentId", "RepoTags", "RepoDigests", "Created", "Size", "SharedSize", "Labels", "Containers"] {
            #expect(object?[key] != nil, "missing \(key)")
        }
    }

    @Test func imageInspectDecodesConfigAndRootFS() throws {
        let json = """
        {"Id":"sha256:ab","RepoTags":["a:1"],"RepoDigests":[],"Parent":"","Comment":"imported","Created":"2026-01-01T00:00:00.123456789Z",\
        "Config":{"Env":["PATH=/bin"],"Cmd":["sh"],"Labels":null,"Unknown":1},"Architecture":"amd64","Os":"linux","Size":10,\
        "GraphDriver":{"Name":"overlay2","Data":null},"RootFS":{"Type":"layers","Layers":["sha256:l1"]},"Metadata":{"LastTagTime":"0001-01-01T00:00:00Z"}}
        """
        let image = try JSONDecoder().decode(ImageInspect.self, from: Data(json.utf8))
        #expect(image.config?.cmd == ["sh"])
        #expect(image.config?.labels == nil)
        #expect(image.rootFS.layers == ["sha256:l1"])
        #expect(image.graphDriver?.name == "overlay2")
        #expect(image.metadata?.lastTagTime == "0001-01-01T00:00:00Z")
    }

    @Test func historyItemDecodesMissingIDs() throws {
        let json = """
        [{"Comment":"Imported from -","Created":1795644239,"CreatedBy":"","Id":"<missing>","Size":1982424,"Tags":null}]
        """
        let items = try JSONDecoder().decode([HistoryItem].self, from: Data(json.utf8))
        #expect(items[0].id == "<missing>")
        #expect(items[0].tags == [])
        #expect(items[0].comment == "Imported from -")
    }

    @Test func deleteItemsCarryOneFieldEach() throws {
        let json = #"[{"Untagged":"a:1"},{"Deleted":"sha256:ab"}]"#
        let items = try JSONDecoder().decode([ImageDeleteResponseItem].self, from: Data(json.utf8))
        #expect(items == [ImageDeleteResponseItem(untagged: "a:1"), ImageDeleteResponseItem(deleted: "sha256:ab")])
    }

    @Test func pruneResponseToleratesNullList() throws {
        let json = #"{"ImagesDeleted":null,"SpaceReclaimed":0}"#
        let result = try JSONDecoder().decode(ImagePruneResponse.self, from: Data(json.utf8))
        #expect(result.imagesDeleted == nil)
        #expect(result.spaceReclaimed == 0)
    }

    @Test func jsonMessageReadsProgressAndErrors() throws {
        let progress = #"{"status":"Downloading","progressDetail":{"current":10,"total":20},"progress":"[=>  ]","id":"abc"}"#
        let message = try JSONDecoder().decode(JSONMessage.self, from: Data(progress.utf8))
        #expect(message.status == "Downloading")
        #expect(message.progressDetail == JSONMessage.ProgressDetail(current: 10, total: 20))
        #expect(message.id == "abc")
        let failure = #"{"errorDetail":{"message":"boom"},"error":"boom"}"#
        let error = try JSONDecoder().decode(JSONMessage.self, from: Data(failure.utf8))
        #expect(error.error == "boom")
        #expect(error.errorDetail?.message == "boom")
        let loaded = try JSONDecoder().decode(JSONMessage.self, from: Data(#"{"stream":"Loaded image: a:1\n"}"#.utf8))
        #expect(loaded.stream == "Loaded image: a:1\n")
    }
}
