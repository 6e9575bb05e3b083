import Vapor
import ZhenggaiStore

/// Password rules and hashing, shared by the API and the command line.
public enum Passwords {
    public static func checkStrength(_ password: String) throws(PasswordError) {
        guard password.count >= 8 else { throw .tooShort }
        guard password.count <= 72 else { throw .tooLong }  // bcrypt reads only the first 72 bytes
        let classes = [
            password.contains(where: \.isLetter), password.contains(where: \.isNumber),
            password.contains(where: { !$0.isLetter && !$0.isNumber }),
        ]
        guard classes.filter({ $0 }).count >= 2 else { throw .tooSimple }
    }

    public static func hash(_ password: String, cost: Int = 12) throws -> String {
        try Bcrypt.hash(password, cost: cost)
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
        case .tooLong: "密码不超过 72 位。"
        case .tooSimple: "密码须包含字母、数字、符号中的至少两类。"
        }
    }
}
