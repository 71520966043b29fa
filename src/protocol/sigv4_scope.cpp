#include "sluice/protocol/sigv4_scope.hpp"

#include "sluice/core/encoding.hpp"

namespace sluice::protocol {

namespace {
std::optional<CredentialScope> parse_credential(std::string_view cred) {
    // AKID/20240101/us-east-1/sqs/aws4_request
    std::string_view parts[5];
    for (int i = 0; i < 5; ++i) {
        auto slash = cred.find('/');
        if (i < 4 && slash == std::string_view::npos) return std::nullopt;
        parts[i] = cred.substr(0, i < 4 ? slash : std::string_view::npos);
        cred = i < 4 ? cred.substr(slash + 1) : std::string_view{};
    }
    if (parts[0].empty() || parts[2].empty() || parts[3].empty()) return std::nullopt;
    return CredentialScope{std::string(parts[0]), std::string(parts[2]), std::string(parts[3])};
}
}  // namespace

std::optional<CredentialScope> credential_scope(const HttpRequest& request) {
    auto auth = request.header("Authorization");
    auto pos = auth.find("Credential=");
    if (pos != std::string::npos) {
        auto start = pos + 11;
        auto end = auth.find_first_of(", ", start);
        return parse_credential(std::string_view(auth).substr(start, end == std::string::npos ? std::string::npos : end - start));
    }
    // Presigned URLs carry the credential in the query string.
    auto query = request.query_string();
    pos = query.find("X-Amz-Credential=");
    if (pos != std::string::npos) {
        auto start = pos + 17;
        auto end = query.find('&', start);
        auto value = core::url_decode(std::string_view(query).substr(start, end == std::string::npos ? std::string::npos : end - start));
        return parse_credential(value);
    }
    return std::nullopt;
}

}  // namespace sluice::protocol
