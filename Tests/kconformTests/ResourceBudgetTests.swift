import Foundation
import KerasConformance
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// kconform's own safety (issue 6): on the attack corpus, the invalid corpus and mutated golden files,
/// `kconform check` stays within the input's size plus 256 MB of memory and 2 s of CPU per 100 MB plus
/// one second, and opens no file but the one it checks and no socket.
@Suite(.serialized) struct ResourceBudgetTests {
    static let memoryAllowance = 256 << 20
    static let secondsPerHundredMB = 2.0
    static let fixedSeconds = 1.0
    /// The time budget is for the product (a release build); a debug build of the same code runs a few
    /// times slower (measured: 0.07 s release vs 2.4 s debug CPU on the worst invalid sample), so a debug
    /// binary gets this factor on time. Memory budgets are the same for both.
    static let debugTimeFactor = 10.0
    static let mutantsPerFile = 6
    static let mutationSeed: UInt64 = 0x6B63_6F6E_666F_726D

    struct Measurement {
        let status: Int32
        let maxResidentBytes: Int
        let cpuSeconds: Double
    }

    /// Runs `kconform check <path>` under GNU time (output discarded) and returns its exit status and
    /// resource use. A child spawned from this (large) test process inherits its RSS high-water mark in
    /// `ru_maxrss` on Linux; `time` forks a fresh child, so its figure is kconform's own.
    static func measure(_ path: String) throws -> Measurement {
        let executable = try CommandLineTests.executable().path
        let report = NSTemporaryDirectory() + "kconform-rusage-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: report) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = [timeCommand, "-f", "%x %M %U %S", "-o", report, executable, "check", "--format", "json", path]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, timeCommand, &actions, nil, &argv, environ) == 0 else { throw CocoaError(.executableLoad) }
        var status: Int32 = 0
        guard waitpid(pid, &status, 0) == pid else { throw CocoaError(.executableLoad) }
        // GNU time writes "Command exited with non-zero status N" or "Command terminated by signal N" first.
        let lines = try String(contentsOfFile: report, encoding: .utf8).split(separator: "\n")
        let fields = lines.last?.split(separator: " ").map(String.init) ?? []
        guard fields.count == 4, let code = Int32(fields[0]), let kilobytes = Int(fields[1]),
              let user = Double(fields[2]), let system = Double(fields[3]) else { throw CocoaError(.fileReadCorruptFile) }
        let signalled = lines.contains { $0.hasPrefix("Command terminated by signal") }
        return Measurement(status: signalled ? -1 : code, maxResidentBytes: kilobytes * 1024, cpuSeconds: user + system)
    }

    /// GNU time, installed by scripts/install-deps.sh.
    static let timeCommand = "/usr/bin/time"

    /// Bytes of a file, or of every file under a folder.
    static func inputSize(_ path: String) -> Int {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return 0 }
        guard isDirectory.boolValue else { return ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0 }
        let files = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
        return files.reduce(0) { $0 + inputSize(path + "/" + $1) }
    }

    static func corpus(_ folder: String) -> [String] {
        let root = CommandLineTests.repositoryRoot.appendingPathComponent(folder).path
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        return names.sorted().filter { !$0.hasSuffix(".json") || folder.hasSuffix("json") }.map { root + "/" + $0 }
            .filter { !$0.hasSuffix("/payload") && !$0.hasSuffix("/benign") }
    }

    static func check(_ paths: [String]) throws {
        for path in paths {
            let size = inputSize(path)
            let run = try measure(path)
            #expect(run.status == 0 || run.status == 1 || run.status == 2, "\(path) ended with \(run.status)")
            #expect(run.maxResidentBytes <= size + memoryAllowance, "\(path): \(run.maxResidentBytes) bytes resident")
            let factor = try CommandLineTests.executable().path.contains("/debug/") ? debugTimeFactor : 1
            let budget = (secondsPerHundredMB * Double(size) / 100e6 + fixedSeconds) * factor
            #expect(run.cpuSeconds <= budget, "\(path): \(run.cpuSeconds) s of CPU, budget \(budget) s")
        }
    }

    @Test func attackCorpusStaysWithinBudget() throws {
        let paths = Self.corpus("Corpus/attacks")
        #expect(paths.count >= 40)
        try Self.check(paths)
    }

    @Test func invalidCorpusStaysWithinBudget() throws {
        let paths = ["Corpus/invalid/hdf5", "Corpus/invalid/zip", "Corpus/invalid/json"].flatMap(Self.corpus)
        #expect(paths.count >= 100)
        try Self.check(paths)
    }

    /// Byte flips, overwritten length fields, truncations and duplicated ranges of small golden and attack files.
    @Test func mutatedFilesStayWithinBudget() throws {
        let directory = NSTemporaryDirectory() + "kconform-mutants-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sources = (Self.corpus("Corpus/golden") + Self.corpus("Corpus/attacks")).filter {
            ($0.hasSuffix(".keras") || $0.hasSuffix(".h5")) && Self.inputSize($0) <= 64 * 1024
        }
        #expect(sources.count >= 20)
        var random = SplitMix64(seed: Self.mutationSeed)
        var mutants: [String] = []
        for source in sources {
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source)))
            for index in 0..<Self.mutantsPerFile {
                var bytes = original
                switch random.next() % 4 {
                case 0:
                    for _ in 0..<(1 + random.next() % 8) { bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(1 << (random.next() % 8)) }
                case 1:
                    let at = Int(random.next() % UInt64(bytes.count - 4))
                    for offset in 0..<4 { bytes[at + offset] = 0xFF }
                case 2:
                    bytes.removeLast(Int(random.next() % UInt64(bytes.count)))
                default:
                    let start = Int(random.next() % UInt64(bytes.count))
                    let length = min(bytes.count - start, 1 + Int(random.next() % 512))
                    bytes.insert(contentsOf: bytes[start..<(start + length)], at: start)
                }
                let name = directory + "/\(index)-" + (source as NSString).lastPathComponent
                try Data(bytes).write(to: URL(fileURLWithPath: name))
                mutants.append(name)
            }
        }
        try Self.check(mutants)
    }

    /// The conformance suite's structural mutations (`FileMutator`: zip entries reordered, duplicated or
    /// truncated, HDF5 addresses redirected, JSON subtrees deleted or retyped) of generated models.
    @Test func conformanceMutationsOfGeneratedModelsStayWithinBudget() throws {
        let directory = NSTemporaryDirectory() + "kconform-generated-mutants-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var mutants: [String] = []
        for index in 0..<8 {
            let generated = GeneratedCase(seed: Self.mutationSeed, index: index)
            let archive = try generated.model.instantiate().archiveBytes()
            let mutator = FileMutator(bytes: archive, name: generated.name + ".keras")
            var choices = Choices(seed: Self.mutationSeed &+ UInt64(index))
            for round in 0..<Self.mutantsPerFile {
                let mutation = mutator.mutate(&choices)
                let name = directory + "/\(generated.name)-\(round)-\(mutation.name).keras"
                try Data(mutation.bytes).write(to: URL(fileURLWithPath: name))
                mutants.append(name)
            }
        }
        #expect(mutants.count == 8 * Self.mutantsPerFile)
        try Self.check(mutants)
    }

    static let straceAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/strace")

    /// The reproducers name other files (external links and storage, vocabularies, saved models): none is opened.
    @Test(.enabled(if: straceAvailable)) func checkOpensOnlyTheFileItChecks() throws {
        let executable = try CommandLineTests.executable().path
        let log = NSTemporaryDirectory() + "kconform-strace-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: log) }
        let buildDirectory = (executable as NSString).deletingLastPathComponent
        let systemPrefixes = ["/etc/", "/usr/", "/lib", "/proc/", "/sys/", "/dev/", "/tmp/", "/opt/", "/root/.swiftpm"]
        for path in Self.corpus("Corpus/attacks") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/strace")
            process.arguments = ["-f", "-qq", "-e", "trace=open,openat,connect,socket", "-o", log, executable, "check", path]
            process.currentDirectoryURL = CommandLineTests.repositoryRoot.appendingPathComponent("Corpus/attacks")
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            let trace = try String(contentsOfFile: log, encoding: .utf8)
            #expect(!trace.contains("AF_INET"), "\(path) uses the network")
            for line in trace.split(separator: "\n") where line.contains("open") {
                guard let quote = line.firstIndex(of: "\""), let end = line[line.index(after: quote)...].firstIndex(of: "\"") else { continue }
                let opened = String(line[line.index(after: quote)..<end])
                if systemPrefixes.contains(where: opened.hasPrefix) || opened.hasPrefix(path) || opened.hasPrefix(buildDirectory)
                    || opened.hasSuffix(".so") || opened.contains(".so.") { continue }
                Issue.record("\(path) opened \(opened)")
            }
        }
    }
}

/// A small seeded generator so that every run mutates the same way; the seed is in the test.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
