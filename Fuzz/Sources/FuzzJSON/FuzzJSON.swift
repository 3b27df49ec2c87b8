import KerasFuzzChecks

/// libFuzzer entry point of FuzzJSON (the properties are in `FuzzTarget.json`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    FuzzTarget.json.testOneInput(data, size)
}
