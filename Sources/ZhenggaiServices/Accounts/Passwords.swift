import Dispatch
import HummingbirdBcrypt

/// Password rules and hashing (bcrypt), shared by the web, the API and the command line.
public enum Passwords {
    public static func checkStrength(_ password: String) throws(PasswordError) {
        guard password.count >= 8 else { throw .tooShort }
        guard password.utf8.count <= 72 else { throw .tooLong }  // bcrypt reads only the first 72 bytes
        let classes = [
            password.contains(where: \.isLetter), password.contains(where: \.isNumber),
            password.contains(where: { !$0.isLetter && !$0.isNumber }),
        ]
        guard classes.filter({ $0 }).count >= 2 else { throw .tooSimple }
    }

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

    /// A password for a machine-made account: 16 characters from an alphabet without look-alikes.
    public static func random() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet.randomElement(using: &generator)! })
    }
}

public enum PasswordError: Error, CustomStringConvertible {
    case tooShort, tooLong, tooSimple

    public var description: String {
        switch self {
        case .tooShort: "密码至少 8 位。"
        case .tooLong: "密码不超过 72 个字节（约 24 个汉字）。"
        case .tooSimple: "密码须包含字母、数字、符号中的至少两类。"
        }
    }
}
