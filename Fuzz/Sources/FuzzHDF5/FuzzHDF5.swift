import KerasFuzzChecks

/// libFuzzer entry point of FuzzHDF5 (the properties are in `FuzzTarget.hdf5`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    FuzzTarget.hdf5.testOneInput(data, size)
}
