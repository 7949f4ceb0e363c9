import Engine
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// One client connection speaking HTTP/1.1: collects a request, hands it to the router on a
/// task, writes the answer. For attach/exec it turns the connection into a raw pipe: the
/// HTTP codec is removed and bytes flow untouched both ways.
final class HTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: Router
    private let logger: Logger
    private let spoolDirectory: String
    private let decoder: ByteToMessageHandler<HTTPRequestDecoder>
    private let encoder: HTTPResponseEncoder
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var spool: (path: String, handle: FileHandle)?
    private var busy = false
    private var inputClosed = false
    /// The running request's: fired when its client goes away.
    private var disconnect: DisconnectSignal?
    private static let spoolThreshold = 1 << 20

    init(router: Router, logger: Logger, spoolDirectory: String, decoder: ByteToMessageHandler<HTTPRequestDecoder>, encoder: HTTPResponseEncoder) {
        self.router = router; self.logger = logger; self.spoolDirectory = spoolDirectory
        self.decoder = decoder; self.encoder = encoder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var buffer):
            if let spool {
                spool.handle.write(Data(buffer.readBytes(length: buffer.readableBytes) ?? []))
            } else {
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
                if body.count > Self.spoolThreshold { startSpooling() }
            }
        case .end:
            guard let head else { return }
            self.head = nil
            var requestBody: APIRequest.RequestBody = body.isEmpty ? .none : .bytes(body)
            if let spool {
                try? spool.handle.close()
                requestBody = .file(spool.path)
                self.spool = nil
            }
            body = []
            dispatch(context: context, head: head, body: requestBody)
        }
    }

    private func startSpooling() {
        let path = spoolDirectory + "/body-" + UUID().uuidString
        FileManager.default.createFile(atPath: path, contents: Data(body))
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            spool = (path, handle)
            body = []
        }
    }

    private func dispatch(context: ChannelHandlerContext, head: HTTPRequestHead, body: APIRequest.RequestBody) {
        let request = Router.makeRequest(head: head, body: body)
        let channel = context.channel
        let router = self.router
        let logger = self.logger
        let keepAlive = head.isKeepAlive
        let version = head.version
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        busy = true
        let disconnect = DisconnectSignal()
        self.disconnect = disconnect
        Task {
            await HTTPHandler.serve(request: request, channel: channel, router: router, logger: logger, keepAlive: keepAlive,
                             version: version, bound: bound, boundContext: boundContext, disconnect: disconnect)
        }
    }

    private static func serve(request: APIRequest, channel: Channel, router: Router, logger: Logger, keepAlive: Bool,
                              version: HTTPVersion, bound: NIOLoopBound<HTTPHandler>,
                              boundContext: NIOLoopBound<ChannelHandlerContext>, disconnect: DisconnectSignal) async {
            let response = await router.handle(request)
            if case .file(let path) = request.body { try? FileManager.default.removeItem(atPath: path) }
            logger.debug("request", metadata: ["method": "\(request.method)", "path": "\(request.path)"])
            switch response {
            case .body(let status, let contentType, let bytes, let extra):
                var headers = HTTPHeaders()
                Self.commonHeaders(&headers)
                if let contentType { headers.add(name: "Content-Type", value: contentType) }
                for (k, v) in extra { headers.add(name: k, value: v) }
                let bodyAllowed = status != .notModified && status != .noContent
                let sendBody = bodyAllowed && request.method != .HEAD
                if bodyAllowed { headers.add(name: "Content-Length", value: String(bytes.count)) }
                var responseHead = HTTPResponseHead(version: version, status: status, headers: headers)
                responseHead.headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
                channel.write(HTTPServerResponsePart.head(responseHead), promise: nil)
                if sendBody, !bytes.isEmpty {
                    channel.write(HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: bytes))), promise: nil)
                }
                let done = channel.eventLoop.makePromise(of: Void.self)
                channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: done)
                Self.finish(done.futureResult, keepAlive: keepAlive, channel: channel, bound: bound)
            case .stream(let status, let contentType, let extra, let producer):
                var headers = HTTPHeaders()
                Self.commonHeaders(&headers)
                headers.add(name: "Content-Type", value: contentType)
                for (k, v) in extra { headers.add(name: k, value: v) }
                let responseHead = HTTPResponseHead(version: version, status: status, headers: headers)
                channel.writeAndFlush(HTTPServerResponsePart.head(responseHead), promise: nil)
                do { try await producer(StreamWriter(channel: channel, disconnect: disconnect)) } catch {
                    logger.debug("stream ended: \(error)")
                }
                let done = channel.eventLoop.makePromise(of: Void.self)
                channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: done)
                Self.finish(done.futureResult, keepAlive: keepAlive, channel: channel, bound: bound)
            case .hijack(let contentType, let session):
                let upgrade = request.headers[canonicalForm: "Upgrade"].contains { $0.lowercased() == "tcp" }
                var text = upgrade ? "HTTP/1.1 101 UPGRADED\r\n" : "HTTP/1.1 200 OK\r\n"
                text += "Content-Type: \(contentType)\r\n"
                if upgrade { text += "Connection: Upgrade\r\nUpgrade: tcp\r\n" }
                text += "Api-Version: \(Router.apiVersion)\r\nServer: Berth\r\n\r\n"
                let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
                let switched: EventLoopFuture<Void> = channel.eventLoop.submit {
                    let handler = bound.value
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(RawStreamHandler(continuation))
                    sync.removeHandler(handler.encoder, promise: nil)
                    sync.removeHandler(context: boundContext.value, promise: nil)
                    sync.removeHandler(handler.decoder, promise: nil)
                }
                do {
                    try await switched.get()
                    try await channel.writeAndFlush(channel.allocator.buffer(string: text))
                } catch {
                    try? await channel.close()
                    return
                }
                await session(RawChannel(channel: channel, inbound: stream))
            }
    }

    private static func finish(_ done: EventLoopFuture<Void>, keepAlive: Bool, channel: Channel, bound: NIOLoopBound<HTTPHandler>) {
        done.whenComplete { _ in
            let handler = bound.value
            handler.busy = false
            handler.disconnect?.discard()
            handler.disconnect = nil
            if !keepAlive || handler.inputClosed { channel.close(promise: nil) }
        }
    }

    private static func commonHeaders(_ headers: inout HTTPHeaders) {
        headers.add(name: "Api-Version", value: Router.apiVersion)
        headers.add(name: "Docker-Experimental", value: "false")
        headers.add(name: "Ostype", value: "linux")
        headers.add(name: "Server", value: "Berth/\(Router.engineVersion) (linux)")
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            inputClosed = true
            disconnect?.fire()
            if !busy { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        disconnect?.fire()
        // A client gone in the middle of a large body leaves no spool file behind.
        if let spool {
            try? spool.handle.close()
            try? FileManager.default.removeItem(atPath: spool.path)
            self.spool = nil
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if error is HTTPParserError {
            let body = Array("{\"message\":\"malformed HTTP request\"}\n".utf8)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(body.count))
            headers.add(name: "Connection", value: "close")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
            return
        }
        context.close(promise: nil)
    }
}
