#include "sluice/protocol/http_message.hpp"

#include <strings.h>

namespace sluice::protocol {

std::string HttpRequest::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0) return v;
    return {};
}

std::string HttpRequest::path() const { return target.substr(0, target.find('?')); }

std::string HttpRequest::query_string() const {
    auto q = target.find('?');
    return q == std::string::npos ? std::string() : target.substr(q + 1);
}

}  // namespace sluice::protocol
