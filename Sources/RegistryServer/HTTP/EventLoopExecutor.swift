import NIOCore

/// A task executor that runs jobs on a connection's event loop. An upload loop that prefers it
/// resumes on the thread that read the bytes, instead of being handed to another thread for every
/// chunk (a wake-up and a context switch each).
final class EventLoopExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
