// berth-store: a thin command-line door into ImageStore (benchmarks, fault tests)
// until berthd and the berth CLI exist.
print("berth-store: no command yet")
