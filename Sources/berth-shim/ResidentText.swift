import Glibc

/// Keeps the shim's resident set small. The static executable's code is shared page
/// cache, yet VmRSS counts every code page this process has mapped, and startup (the Swift
/// runtime scanning its metadata, the runtime invocation) maps megabytes of it through
/// fault-around. Once the shim idles in its poll loop, dropping those mappings leaves only
/// the pages the loop touches again. Only the executable segment is dropped: it is never
/// written, so nothing is lost (the writable and RELRO segments are left alone).
enum ResidentText {
    /// madvise(MADV_DONTNEED) over the main program's executable PT_LOAD segment, found
    /// through the program headers the kernel passed in the auxiliary vector.
    static func drop() {
        let AT_PHDR: UInt = 3, AT_PHNUM: UInt = 5
        let phdrAddress = c_getauxval(AT_PHDR)
        let count = Int(c_getauxval(AT_PHNUM))
        guard let headers = UnsafePointer<Elf64_Phdr>(bitPattern: phdrAddress), count > 0 else { return }
        // A position-independent executable is loaded at an offset: PT_PHDR says which.
        var bias: UInt = 0
        for k in 0..<count where headers[k].p_type == UInt32(PT_PHDR) {
            bias = phdrAddress &- UInt(headers[k].p_vaddr)
        }
        let page = UInt(sysconf(Int32(_SC_PAGESIZE)))
        for k in 0..<count {
            let header = headers[k]
            guard header.p_type == UInt32(PT_LOAD), header.p_flags & UInt32(PF_X) != 0, header.p_flags & UInt32(PF_W) == 0 else { continue }
            let start = (bias &+ UInt(header.p_vaddr)) & ~(page - 1)
            let end = (bias &+ UInt(header.p_vaddr) + UInt(header.p_memsz) + page - 1) & ~(page - 1)
            _ = madvise(UnsafeMutableRawPointer(bitPattern: start), Int(end - start), MADV_DONTNEED)
        }
    }
}

/// getauxval(3) is declared in <sys/auxv.h>, which Swift's Glibc module does not include.
@_silgen_name("getauxval")
private func c_getauxval(_ type: UInt) -> UInt
