import CSeccomp

/// OCI architecture names (`SCMP_ARCH_*`) → libseccomp architecture tokens.
enum SeccompArchitecture {
    /// Every `SCMP_ARCH_*` name of the runtime spec and libseccomp, mapped to libseccomp's own name.
    static let libseccompNames: [String: String] = [
        "SCMP_ARCH_X86": "x86", "SCMP_ARCH_X86_64": "x86_64", "SCMP_ARCH_X32": "x32",
        "SCMP_ARCH_ARM": "arm", "SCMP_ARCH_AARCH64": "aarch64",
        "SCMP_ARCH_MIPS": "mips", "SCMP_ARCH_MIPS64": "mips64", "SCMP_ARCH_MIPS64N32": "mips64n32",
        "SCMP_ARCH_MIPSEL": "mipsel", "SCMP_ARCH_MIPSEL64": "mipsel64", "SCMP_ARCH_MIPSEL64N32": "mipsel64n32",
        "SCMP_ARCH_PPC": "ppc", "SCMP_ARCH_PPC64": "ppc64", "SCMP_ARCH_PPC64LE": "ppc64le",
        "SCMP_ARCH_S390": "s390", "SCMP_ARCH_S390X": "s390x",
        "SCMP_ARCH_PARISC": "parisc", "SCMP_ARCH_PARISC64": "parisc64",
        "SCMP_ARCH_RISCV64": "riscv64", "SCMP_ARCH_LOONGARCH64": "loongarch64",
        "SCMP_ARCH_M68K": "m68k", "SCMP_ARCH_SH": "sh", "SCMP_ARCH_SHEB": "sheb",
    ]

    /// The libseccomp token (an AUDIT_ARCH_* value) for `name`, or nil when this libseccomp
    /// does not know that architecture (it is then skipped, as runc does).
    static func token(named name: String, path: String) throws -> UInt32? {
        guard let libseccompName = libseccompNames[name] else {
            throw SeccompError(path: path, reason: "unknown architecture \"\(name)\"")
        }
        let token = seccomp_arch_resolve_name(libseccompName)
        return token == 0 ? nil : token
    }
}
