// libFuzzer target: JSONata parsing and evaluation (Step Functions' `{% %}` expressions). Input
// is an expression, evaluated with the engine's bounds against a fixed document and a variable.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sluice/jsonata/expression.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sluice::jsonata;
    static const Json doc = Json::parse(
        R"({"a":{"b":[1,2,{"c":"x","d":[true,null,3.5]}],"e":"s"},"list":[{"p":1},{"p":2,"q":"z"},[[]]],"n":-7})");
    static const Json bindings = Json::parse(R"({"v": {"k": [1, "two"]}, "states": {"input": {"x": 1}}})");
    const Limits limits{std::chrono::milliseconds(200), 200};
    try {
        Expression expression = Expression::parse(std::string_view(reinterpret_cast<const char*>(data), size));
        (void)expression.evaluate(doc, bindings, limits);
    } catch (const Error&) {
    }
    return 0;
}
