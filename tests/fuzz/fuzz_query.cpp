// libFuzzer target: the query decoder and XML encoder. Input is a form body; every SQS
// operation's input shape is tried on it, and whatever decodes is encoded back as XML.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sluice/protocol/query.hpp"
#include "sluice/sqs/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sluice::protocol;
    const auto& model = sluice::sqs::model();
    auto params = query::parse_form(std::string_view(reinterpret_cast<const char*>(data), size));
    for (const auto& [name, op] : model.operations()) {
        try {
            Json decoded = query::decode(params, model, op);
            // Answers are shaped by the output shape; feed the decoded value through as if it were one.
            if (op.output) (void)query::encode_result(decoded, model, op, "fuzz");
        } catch (const AwsError&) {
        }
    }
    return 0;
}
