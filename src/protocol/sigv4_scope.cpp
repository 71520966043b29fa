#include "sluice/protocol/sigv4_scope.hpp"

#include <string.h>

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
    const auto auth = request.header("Authorization");
    // memmem: string_view::find looks for the first letter one memchr at a time.
    const void* found = auth.size() > 11 ? memmem(auth.data(), auth.size(), "Credential=", 11) : nullptr;
    if (found) {
        auto credential = auth.substr(static_cast<std::size_t>(static_cast<const char*>(found) - auth.data()) + 11);
        std::size_t end = 0;
        while (end < credential.size() && credential[end] != ',' && credential[end] != ' ') ++end;
        return parse_credential(credential.substr(0, end));
    }
    // Presigned URLs carry the credential in the query string.
    const auto query = request.query_string();
    const auto pos = query.find("X-Amz-Credential=");
    if (pos != std::string_view::npos) {
        const auto start = pos + 17;
        const auto end = query.find('&', start);
        return parse_credential(core::url_decode(
            query.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)));
    }
    return std::nullopt;
}

}  // namespace sluice::protocol
