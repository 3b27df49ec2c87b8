import KerasFuzzChecks

/// libFuzzer entry point of FuzzKerasFile (the properties are in `FuzzTarget.kerasFile`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    FuzzTarget.kerasFile.testOneInput(data, size)
}
