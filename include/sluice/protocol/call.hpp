#pragma once
// A decoded request: which operation of which service, its parameters as plain JSON values in
// the model's member names, and where it came from. This is all a service op ever sees.
#include <functional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "sluice/core/scope.hpp"
#include "sluice/protocol/aws_error.hpp"

namespace sluice::protocol {

using Json = nlohmann::json;

struct RequestContext {
    core::Scope scope;          // account and region the request is made in
    std::string access_key_id;  // from the SigV4 credential, empty when unsigned
    std::string host;           // the Host header, for URLs handed back to the client
    std::string path;           // the request path (the query protocol may post to a queue URL)
    std::string request_id;
    std::string trace_header;  // X-Amzn-Trace-Id (X-Ray), empty when absent
};

struct Call {
    std::string service;
    std::string operation;
    Json params = Json::object();
    RequestContext context;
};

// What an operation answers: its output shape as JSON, or an error.
using Outcome = std::variant<Json, AwsError>;
using Reply = std::function<void(Outcome)>;

}  // namespace sluice::protocol
