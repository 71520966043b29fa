#pragma once
// The JSON answers the router and Sluice's own routes (/_sluice/...) write. The body goes through
// protocol::dump_json, which writes strings that are not UTF-8 (a path or header quoted back)
// with U+FFFD instead of throwing (fuzz_admin_request found a GET whose path did that).
#include "sluice/protocol/http_message.hpp"
#include "sluice/protocol/json_text.hpp"

namespace sluice::server {

inline protocol::HttpResponse json_response(int status, const nlohmann::json& body) {
    protocol::HttpResponse r;
    r.status = status;
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = protocol::dump_json(body);
    return r;
}

}  // namespace sluice::server
