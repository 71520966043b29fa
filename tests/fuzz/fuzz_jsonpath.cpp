// libFuzzer target: JSONPath parsing, selection and assignment. Input is a path, tried against a
// fixed document with objects, arrays, numbers, strings and nesting.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sluice/sfn/jsonpath.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sluice::sfn::jsonpath;
    static const Json doc = Json::parse(
        R"({"a":{"b":[1,2,{"c":"x","d":[true,null,3.5]}],"e":"s"},"list":[{"p":1},{"p":2,"q":"z"},[[]]],"n":-7})");
    try {
        Path path = Path::parse(std::string_view(reinterpret_cast<const char*>(data), size));
        (void)select(path, doc);
        Json copy = doc;
        (void)assign(copy, path, Json("v"));
    } catch (const PathError&) {
    }
    return 0;
}
