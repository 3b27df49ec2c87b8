import KerasFuzzChecks

/// libFuzzer entry point of FuzzZip (the properties are in `FuzzTarget.zip`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    FuzzTarget.zip.testOneInput(data, size)
}
