// Module Cgroups.
