// Module Seccomp.
