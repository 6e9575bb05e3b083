public import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends the six digits of a rating's phone check. Pluggable: a county names its SMS platform's HTTP
/// interface (most 政务短信平台 take a JSON POST) with ZHENGGAI_SMS_URL; a platform that speaks another
/// protocol gets another conforming type, and nothing else changes.
public protocol SMSGateway: Sendable {
    func send(to phone: String, text: String) async throws(SMSError)
}

public struct SMSError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// POSTs `{"phone": "…", "text": "…"}` as JSON, with `Authorization: Bearer` when a token is set
/// (ZHENGGAI_SMS_TOKEN). A 2xx answer whose JSON, if any, has no non-zero `errcode` or `code` is a success.
public struct HTTPSMSGateway: SMSGateway {
    public var url: URL
    public var token: String?

    public init(url: URL, token: String?) {
        self.url = url
        self.token = token
    }

    public func send(to phone: String, text: String) async throws(SMSError) {
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        do {
            request.httpBody = try JSONSerialization.data(
                withJSONObject: ["phone": phone, "text": text], options: [.sortedKeys])
        } catch {
            throw SMSError(description: "短信内容无法编码")
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw SMSError(description: "短信平台无法连接：\(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else { throw SMSError(description: "短信平台答复 HTTP \(status)") }
        if let body = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            for name in ["errcode", "code"] {
                if let code = body[name] as? Int, code != 0 {
                    throw SMSError(description: "短信平台答复 \(name) \(code)：\(body["errmsg"] ?? body["message"] ?? "")")
                }
            }
        }
    }
}
