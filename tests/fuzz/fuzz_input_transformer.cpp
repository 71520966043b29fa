// libFuzzer target: EventBridge InputTransformers. The input is an InputPathsMap, an InputTemplate
// and an event, separated by NUL bytes (missing parts are `{}`). A paths map that is not a JSON
// object stands for none; parse may refuse it with std::invalid_argument (an expected answer);
// a transformer that parses renders the event, twice, to the same text.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sluice/eventbridge/input_transformer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::string_view parts[3] = {"{}", "{}", "{}"};
    for (auto& part : parts) {
        const std::size_t nul = input.find('\0');
        part = input.substr(0, nul);
        if (nul == std::string_view::npos) break;
        input = input.substr(nul + 1);
    }
    const auto paths = nlohmann::json::parse(parts[0], nullptr, /*allow_exceptions=*/false);
    const auto event = nlohmann::json::parse(parts[2], nullptr, /*allow_exceptions=*/false);
    try {
        const auto transformer = sluice::eventbridge::InputTransformer::parse(
            paths.is_discarded() ? nlohmann::json::object() : paths, std::string(parts[1]));
        const sluice::eventbridge::ReservedVariables vars{"arn:aws:events:us-east-1:000000000000:rule/r", "r",
                                                          "2026-12-08T00:00:00Z"};
        const auto& e = event.is_discarded() ? nlohmann::json::object() : event;
        if (transformer.render(e, vars) != transformer.render(e, vars)) __builtin_trap();
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
