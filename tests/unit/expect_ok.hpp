#pragma once
// The answer of a call a test expects to succeed: an error fails the test, naming the operation
// and the error, instead of a bad_variant_access further down.
#include <string>
#include <utility>
#include <variant>

#include <catch2/catch.hpp>

#include "sluice/protocol/call.hpp"

namespace sluice::testing {

inline protocol::Json expect_ok(const std::string& operation, protocol::Outcome out) {
    if (auto* e = std::get_if<protocol::AwsError>(&out)) FAIL(operation << ": " << e->code << ": " << e->message());
    return std::get<protocol::Json>(std::move(out));
}

}  // namespace sluice::testing
