// libFuzzer target: SNS subscription filter policies. The input is a policy, then a NUL byte and
// a published message (an input without one is a policy alone, tried on an empty message). The
// policy is parsed in both scopes (an InvalidParameter AwsError is an expected answer); one that
// parses is matched against the message as a body and, when the message is a JSON object, its
// members as String message attributes, as SNS filters a publish.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sluice/protocol/aws_error.hpp"
#include "sluice/sns/filter_policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using sluice::sns::FilterPolicy;
    using sluice::sns::FilterPolicyScope;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t nul = input.find('\0');
    const std::string_view policy_text = input.substr(0, nul);
    const std::string_view message = nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);
    for (auto scope : {FilterPolicyScope::MessageAttributes, FilterPolicyScope::MessageBody}) {
        try {
            const auto policy = FilterPolicy::parse(policy_text, scope, sluice::sns::PolicyCaller::Subscribe);
            (void)policy.matches_body(message);
            auto object = nlohmann::json::parse(message, nullptr, /*allow_exceptions=*/false);
            nlohmann::json attributes = nlohmann::json::object();
            if (object.is_object())
                for (const auto& [name, value] : object.items())
                    attributes[name] = {{"DataType", value.is_number() ? "Number" : "String"},
                                        {"StringValue", value.is_string() ? value.get<std::string>() : value.dump()}};
            (void)policy.matches_attributes(attributes);
        } catch (const sluice::protocol::AwsError& e) {
            if (e.query_code != "InvalidParameter") __builtin_trap();
        }
    }
    return 0;
}
