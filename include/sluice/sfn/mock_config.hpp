#pragma once
// Step Functions Local's mock configuration file: which Task states of which state machine get
// a mocked answer instead of calling the service, per test case, and per invocation.
//   {"StateMachines": {"<machine name>": {"TestCases": {"<case>": {"<state>": "<response name>"}}}},
//    "MockedResponses": {"<response name>": {"0": {"Return": <json>}, "1-2": {"Throw": {"Error": ..., "Cause": ...}}}}}
// AWS's guide: "Using mocked service integrations for testing in Step Functions Local" and its
// "mock configuration file" page. Keys of a response are 0-based invocation counts of the state
// in one execution, or inclusive ranges "a-b"; each entry is exactly one of Return and Throw.
#include <cstddef>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace sluice::sfn {

// A file that is not a mock configuration: what is wrong, and where (a JSON path into the file,
// e.g. "$.MockedResponses.Retry['1-x']").
class MockConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One mocked answer: a result (Return) or an error and cause (Throw).
struct MockedAnswer {
    std::optional<nlohmann::json> result;
    std::string error;
    std::string cause;
    bool throws() const { return !result; }
};

class MockConfig {
public:
    // Throws MockConfigError for anything that is not a well-formed configuration, naming the
    // first problem: bad JSON, a missing or mistyped field, a key that is neither a count nor a
    // range, overlapping ranges, an entry with both or neither of Return and Throw, a test case
    // naming a response that does not exist.
    static MockConfig parse(std::string_view text);

    bool has_test_case(const std::string& machine, const std::string& test_case) const;
    // The answer the state's call number `invocation` (0-based, in one execution) gets in this
    // test case; nullptr when the case does not mock the state (the real integration runs) or
    // the response has no entry for that count.
    const MockedAnswer* answer(const std::string& machine, const std::string& test_case, const std::string& state,
                               std::size_t invocation) const;

private:
    struct Entry {
        std::size_t first = 0, last = 0;  // inclusive
        MockedAnswer answer;
    };
    // machine -> test case -> state -> response name
    std::map<std::string, std::map<std::string, std::map<std::string, std::string>>> cases_;
    std::map<std::string, std::vector<Entry>> responses_;  // sorted by `first`, not overlapping
};

}  // namespace sluice::sfn
