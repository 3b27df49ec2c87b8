import KerasFuzzChecks

/// libFuzzer entry point of FuzzStructured (the properties are in `FuzzTarget.structured`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    FuzzTarget.structured.testOneInput(data, size)
}
