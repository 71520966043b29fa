// libFuzzer target: EventBridge event patterns. The input is a pattern and an event joined by the
// first NUL byte (an input without one is a pattern alone, tried on an empty event). The pattern
// is parsed (a PatternError is an expected answer), the event is parsed without exceptions, and
// a pattern that parses is matched against the event, as a pipe filter would.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sluice/events/event_pattern.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t nul = input.find('\0');
    const std::string_view pattern_text = input.substr(0, nul);
    const std::string_view event_text = nul == std::string_view::npos ? std::string_view("{}") : input.substr(nul + 1);
    try {
        const auto pattern = sluice::events::EventPattern::parse(pattern_text);
        const auto event = nlohmann::json::parse(event_text, nullptr, /*allow_exceptions=*/false);
        if (!event.is_discarded()) {
            const bool first = pattern.matches(event);
            // A copy shares the compiled tree and must give the same answer.
            const auto copy = pattern;
            if (copy.matches(event) != first) __builtin_trap();
        }
    } catch (const sluice::events::PatternError&) {
    }
    return 0;
}
