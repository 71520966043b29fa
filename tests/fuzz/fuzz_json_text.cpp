// libFuzzer target, differential: protocol::read_json and dump_json against nlohmann's own parser
// and writer, which they stand in for. Both readers must accept and refuse the same texts and
// build the same values, numbers of the same type included; both writers must write the same text.
// The one intended difference: nlohmann ends a document at a NUL byte and ignores the rest,
// read_json refuses it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sluice/protocol/json_text.hpp"

namespace {
using Json = nlohmann::json;

bool same(const Json& a, const Json& b) {
    if (a.type() != b.type()) return false;
    if (a.is_object()) {
        if (a.size() != b.size()) return false;
        for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib)
            if (ia.key() != ib.key() || !same(*ia, *ib)) return false;
        return true;
    }
    if (a.is_array()) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!same(a[i], b[i])) return false;
        return true;
    }
    return a == b;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    Json ours;
    const auto read = sluice::protocol::read_json(text, ours);
    const Json theirs = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    const bool has_nul = text.find('\0') != std::string_view::npos;
    switch (read) {
        case sluice::protocol::JsonRead::ok:
            if (theirs.is_discarded() || !same(ours, theirs)) std::abort();
            break;
        case sluice::protocol::JsonRead::invalid:
            if (!theirs.is_discarded() && !has_nul) std::abort();
            break;
        case sluice::protocol::JsonRead::too_deep:
            if (!theirs.is_discarded() && !sluice::protocol::json_deeper_than(theirs)) std::abort();
            break;
    }
    if (read == sluice::protocol::JsonRead::ok &&
        sluice::protocol::dump_json(ours) != ours.dump(-1, ' ', false, Json::error_handler_t::replace))
        std::abort();
    // The ordered reader (service models) keeps members as written, duplicates as nlohmann does.
    if (read == sluice::protocol::JsonRead::ok) {
        nlohmann::ordered_json ordered;
        if (sluice::protocol::read_json(text, ordered) != sluice::protocol::JsonRead::ok) std::abort();
        const auto expected = nlohmann::ordered_json::parse(text.begin(), text.end(), nullptr, false);
        if (expected.is_discarded() || ordered.dump() != expected.dump()) std::abort();
    }
    // read_user_json: read_json's verdict and value, and a reason whenever it refuses.
    std::string why;
    const auto user = sluice::protocol::read_user_json(text, &why);
    if (user.has_value() != (read == sluice::protocol::JsonRead::ok) || (user && !same(*user, ours)) ||
        (!user && why.empty()))
        std::abort();
    // Strings that are not UTF-8 reach the writer too (from binary inputs): the input as one string.
    const Json raw = std::string(text);
    if (sluice::protocol::dump_json(raw) != raw.dump(-1, ' ', false, Json::error_handler_t::replace)) std::abort();
    // What parse_json answers is read_json's value, or nlohmann's for the deep ones.
    const Json parsed = sluice::protocol::parse_json(text);
    if (read == sluice::protocol::JsonRead::ok ? !same(parsed, ours)
        : read == sluice::protocol::JsonRead::invalid
            ? !parsed.is_discarded()
            : !same(parsed, theirs) && !(parsed.is_discarded() && theirs.is_discarded()))
        std::abort();
    return 0;
}
