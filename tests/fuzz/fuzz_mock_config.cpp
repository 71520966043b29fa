// libFuzzer target: Step Functions Local's mock configuration file. A text either loads or is
// refused with MockConfigError; a loaded one answers every lookup (any state, any count) without
// failing, and what it answers prints as JSON.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sluice/sfn/mock_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using sluice::sfn::MockConfig;
    try {
        auto config = MockConfig::parse(std::string_view(reinterpret_cast<const char*>(data), size));
        for (const char* machine : {"m", "orders", ""})
            for (const char* test_case : {"c", "HappyPath", ""})
                for (const char* state : {"S", "Charge", ""})
                    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{1000000000}})
                        if (const auto* answer = config.answer(machine, test_case, state, n); answer && answer->result)
                            (void)answer->result->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } catch (const sluice::sfn::MockConfigError&) {
    }
    return 0;
}
