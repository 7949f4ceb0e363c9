import RegistryServer
print("berth-registry: not built yet")
