import Foundation
import ModelC
#if canImport(Glibc)
import Glibc
#endif

/// `modelc lsp`: the server on standard input and output until `exit` (or the client closes the
/// pipe). Returns the exit code LSP prescribes: 0 after `shutdown`, 1 otherwise.
public enum LanguageServerStdio {
    /// `dataCheck` checks a saved spec's data files (the CLI gives ModelRun's DataFileCheck).
    public static func run(dataCheck: CheckCommand.DataCheck? = nil) -> Int32 {
        let lock = NSLock()
        let server = LanguageServer(dataCheck: dataCheck) { message in
            guard let body = try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys]) else { return }
            let bytes = MessageFramer.frame(Array(body))
            lock.lock()
            defer { lock.unlock() }
            var rest = bytes[...]
            while !rest.isEmpty {
                let written = rest.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
                if written <= 0 { return }
                rest = rest.dropFirst(written)
            }
        }
        var framer = MessageFramer()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(0, &buffer, buffer.count)
            if count <= 0 { return server.shutdownRequested ? 0 : 1 }
            framer.append(buffer[..<count])
            while let frame = framer.next() {
                guard case .message(let body) = frame else { continue }
                server.handle(body)
                if let code = server.exitCode { return code }
            }
        }
    }
}
