import Crypto
public import Foundation
public import ZhenggaiStore

/// What a group robot receives: 企业微信 `{"msgtype": "markdown", "markdown": {"content": …}}`, 钉钉
/// `{"msgtype": "markdown", "markdown": {"title": …, "text": …}}` (signed when a secret is set). For e-mail
/// the queue keeps `{"subject": …, "text": …}`, the same message as plain text.
public enum RobotMessage {
    /// 企业微信 refuses markdown content over 4,096 bytes; 钉钉 takes more, but one limit keeps both readable.
    public static let maxBytes = 4_096

    public static func payload(kind: MessageChannel.Kind, title: String, text: String) -> String {
        let body: [String: Any] =
            switch kind {
            case .wecom: ["msgtype": "markdown", "markdown": ["content": text]]
            case .dingtalk: ["msgtype": "markdown", "markdown": ["title": title, "text": text]]
            case .email: ["subject": title, "text": plainText(text)]
            }
        let data =
            (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The robots' markdown as a mail reader shows it: `[ZG-1](https://…)` becomes `ZG-1（https://…）`,
    /// heading marks, quote marks and bold marks go.
    public static func plainText(_ markdown: String) -> String {
        markdown.split(separator: "\n", omittingEmptySubsequences: false).map { raw -> String in
            var line = String(raw)
            for mark in ["### ", "## ", "# ", "> "] where line.hasPrefix(mark) {
                line.removeFirst(mark.count)
                break
            }
            line = line.replacingOccurrences(of: "**", with: "")
            return line.replacingOccurrences(
                of: #"\[([^\]\n]*)\]\(([^)\s]*)\)"#, with: "$1（$2）", options: .regularExpression)
        }.joined(separator: "\n")
    }

    /// The subject and text queued for an e-mail channel.
    public static func mail(_ payload: String) -> (subject: String, text: String)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any],
            let subject = object["subject"] as? String, let text = object["text"] as? String
        else { return nil }
        return (subject, text)
    }

    /// Lines joined until the limit: whole lines only (never a character cut in half), and when some do not
    /// fit, a last line saying how many were left out. `header` and `footer` always stay.
    public static func fit(header: [String], items: [String], footer: [String], limit: Int = maxBytes) -> String {
        func size(_ lines: [String]) -> Int { lines.reduce(0) { $0 + $1.utf8.count + 1 } }
        let fixed = size(header) + size(footer)
        var kept: [String] = []
        var used = fixed
        for (index, line) in items.enumerated() {
            let left = items.count - index - 1
            let note = left > 0 ? "……另有 \(left) 项，请在系统中查看。" : ""
            if used + line.utf8.count + 1 + (left > 0 ? note.utf8.count + 1 : 0) > limit {
                let omitted = "……另有 \(items.count - index) 项，请在系统中查看。"
                if used + omitted.utf8.count + 1 <= limit { kept.append(omitted) }
                break
            }
            kept.append(line)
            used += line.utf8.count + 1
        }
        var text = (header + kept + footer).joined(separator: "\n")
        // A header or footer alone past the limit (it never is, but the limit is the robot's): cut at a
        // character boundary.
        while text.utf8.count > limit { text.removeLast() }
        return text
    }

    /// 钉钉 signing: `timestamp` (ms) and `sign` = Base64(HMAC-SHA256(secret, "{timestamp}\n{secret}")),
    /// URL-encoded, appended to the webhook.
    public static func signedURL(_ webhook: String, secret: String, at date: Date) -> String {
        let timestamp = String(Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
        let key = SymmetricKey(data: Data(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp)\n\(secret)".utf8), using: key)
        let sign = Data(mac).base64EncodedString()
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = sign.addingPercentEncoding(withAllowedCharacters: allowed) ?? sign
        let separator = webhook.contains("?") ? "&" : "?"
        return "\(webhook)\(separator)timestamp=\(timestamp)&sign=\(encoded)"
    }
}
