import KerasFuzzChecks

/// libFuzzer entry point of FuzzConfig (the properties are in `FuzzTarget.config`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    FuzzTarget.config.testOneInput(data, size)
}
