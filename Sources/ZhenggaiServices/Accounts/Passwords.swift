import Dispatch
import Foundation
import HummingbirdBcrypt

/// Password rules and hashing (bcrypt), shared by the web, the API and the command line.
public enum Passwords {
    public static let minimumLength = 10

    /// At least ten characters, not one of the most common passwords (or one with digits added), not the
    /// user name, and not one character or a run like 1234567890 repeated.
    public static func checkStrength(_ password: String, username: String? = nil) throws(PasswordError) {
        guard password.count >= minimumLength else { throw .tooShort }
        guard password.utf8.count <= 72 else { throw .tooLong }  // bcrypt reads only the first 72 bytes
        let lower = password.lowercased()
        if let username, !username.isEmpty, lower.contains(username.lowercased()) { throw .containsUsername }
        guard Set(lower).count >= 4 else { throw .tooSimple }
        let core = String(lower.drop(while: { $0.isNumber }).reversed().drop(while: { !$0.isLetter }).reversed())
        if common.contains(lower) || (core.count >= 6 && common.contains(core)) { throw .tooCommon }
    }

    /// The shipped list (Resources/common-passwords.txt), read once.
    static let common: Set<String> = {
        guard
            let url = Bundle.module.url(
                forResource: "common-passwords", withExtension: "txt", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return [] }
        return Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init))
    }()

    /// Hashes on the calling thread: for the command line and tests.
    public static func hash(_ password: String, cost: Int = 12) -> String {
        Bcrypt.hash(password, cost: UInt8(clamping: cost))
    }

    /// Hashes off Swift's cooperative threads: a bcrypt at cost 12 takes a quarter of a second, and on a
    /// two-core server two of them must not stall every other request.
    public static func hashInBackground(_ password: String, cost: Int) async -> String {
        await offload { Bcrypt.hash(password, cost: UInt8(clamping: cost)) }
    }

    public static func verify(_ password: String, against hash: String) async -> Bool {
        await offload { Bcrypt.verify(password, hash: hash) }
    }

    static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }

    /// A password for a machine-made account or a reset: 16 characters from an alphabet without look-alikes.
    public static func random() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet.randomElement(using: &generator)! })
    }
}

public enum PasswordError: Error, CustomStringConvertible, Equatable {
    case tooShort, tooLong, tooSimple, tooCommon, containsUsername, wrongCurrent

    public var description: String {
        switch self {
        case .tooShort: "密码至少 \(Passwords.minimumLength) 位。"
        case .tooLong: "密码不超过 72 个字节（约 24 个汉字）。"
        case .tooSimple: "密码过于简单（同一字符或少数几个字符反复出现），请换一个。"
        case .tooCommon: "这是常见密码（或常见密码加数字），很容易被猜中，请换一个。"
        case .containsUsername: "密码不能包含用户名。"
        case .wrongCurrent: "当前密码不正确。"
        }
    }
}
