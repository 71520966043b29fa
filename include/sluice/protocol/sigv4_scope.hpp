#pragma once
// What a SigV4 signature says about a request without checking it: the access key, and the
// credential scope's region and service (`Credential=AKID/20240101/us-east-1/sqs/aws4_request`).
#include <optional>
#include <string>

#include "sluice/protocol/http_message.hpp"

namespace sluice::protocol {

struct CredentialScope {
    std::string access_key_id;
    std::string region;
    std::string service;
};

std::optional<CredentialScope> credential_scope(const HttpRequest& request);

}  // namespace sluice::protocol
