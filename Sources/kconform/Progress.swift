import Foundation

/// Progress on standard error for long runs: a self-overwriting line on a terminal, otherwise a line
/// every tenth of the items when there are more than `quietUpTo`; nothing for short runs.
struct Progress {
    let total: Int
    let terminal: Bool
    let enabled: Bool
    /// The verb of the running line and of the closing line (`checking` / `checked`).
    let verbs: (running: String, done: String)
    /// What the items are (`files`, `cases`).
    let noun: String
    private let step: Int

    init(total: Int, quietUpTo: Int = CheckCommand.progressFileCount, verbs: (running: String, done: String) = ("checking", "checked"), noun: String = "files") {
        self.total = total
        self.verbs = verbs
        self.noun = noun
        terminal = isatty(STDERR_FILENO) == 1
        enabled = total > 1 && (terminal || total > quietUpTo)
        step = max(1, total / 10)
    }

    func starting(_ index: Int, _ item: String) {
        guard enabled else { return }
        if terminal {
            FileHandleOutput.standardError("\r\u{1B}[K[\(index + 1)/\(total)] \(item)")
        } else if index % step == 0 {
            FileHandleOutput.standardError("kconform: \(verbs.running) \(index + 1) of \(total): \(item)\n")
        }
    }

    func finish() {
        guard enabled else { return }
        FileHandleOutput.standardError(terminal ? "\r\u{1B}[K" : "kconform: \(verbs.done) \(total) \(noun)\n")
    }
}
