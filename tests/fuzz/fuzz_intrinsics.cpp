// libFuzzer target: intrinsic function parsing and evaluation. Input is a `.$` value, parsed and,
// when it parses, evaluated against a fixed input, context and variables. Every result must
// print as JSON (valid UTF-8), so dump() runs without an error handler.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sluice/sfn/intrinsics.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sluice::sfn;
    static const Json input = Json::parse(
        R"({"name":"Arnav","template":"Hello {}","n":-7,"f":2.5,"s":"a,b;c","b64":"aGVsbG8=","json":"{\"k\":[1,2]}",
            "list":[1,2,2,"x",{"p":1},[3]],"obj":{"a":{"b":1},"c":"d"},"empty":[],"t":true,"z":null})");
    static const Json context = Json::parse(
        R"({"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:sm:run","Name":"run","Input":{"k":1}},
            "State":{"Name":"S","EnteredTime":"2024-01-01T00:00:00Z"}})");
    static const Json variables = Json::parse(R"({"v":{"w":[1,"two"]},"count":3})");
    try {
        auto expression = intrinsics::parse(std::string_view(reinterpret_cast<const char*>(data), size));
        try {
            Json result = intrinsics::evaluate(*expression, EvalScope{input, context, &variables});
            (void)result.dump();
        } catch (const StatesError&) {
        }
    } catch (const intrinsics::SyntaxError&) {
    }
    return 0;
}
