#include "output_shapes.hpp"

#include <charconv>
#include <map>
#include <mutex>
#include <string>

#include <zlib.h>

// The model file, linked in as it is (.incbin keeps the 1.7 MB out of the compiler's way); the build
// passes its path as SLUICE_OUTPUT_SHAPES_PATH.
// NOLINTNEXTLINE(hicpp-no-assembler)
__asm__(
    ".section .rodata\n"
    ".global sluice_sdk_output_shapes\n"
    "sluice_sdk_output_shapes:\n"
    ".incbin \"" SLUICE_OUTPUT_SHAPES_PATH
    "\"\n"
    ".global sluice_sdk_output_shapes_end\n"
    "sluice_sdk_output_shapes_end:\n"
    ".previous\n");
extern "C" const char sluice_sdk_output_shapes[];
extern "C" const char sluice_sdk_output_shapes_end[];

namespace sluice::sfn {

namespace {

// The record of `service_id`: `<key>\t<byte count>\n<zlib stream>`, records in key order.
std::string_view compressed_record(std::string_view service_id) {
    std::string_view rest(sluice_sdk_output_shapes,
                          static_cast<std::size_t>(sluice_sdk_output_shapes_end - sluice_sdk_output_shapes));
    while (!rest.empty()) {
        const auto tab = rest.find('\t');
        const auto newline = rest.find('\n');
        if (tab == std::string_view::npos || newline == std::string_view::npos || tab > newline) break;
        std::size_t size = 0;
        std::from_chars(rest.data() + tab + 1, rest.data() + newline, size);
        if (rest.size() - newline - 1 < size) break;
        const auto key = rest.substr(0, tab);
        const auto body = rest.substr(newline + 1, size);
        if (key == service_id) return body;
        rest.remove_prefix(newline + 1 + size);
    }
    return {};
}

std::string inflate(std::string_view compressed) {
    z_stream stream{};
    if (inflateInit(&stream) != Z_OK) return {};
    std::string out;
    char buffer[64 * 1024];
    // zlib's API takes non-const input it never writes.
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));  // NOLINT
    stream.avail_in = static_cast<uInt>(compressed.size());
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
        stream.avail_out = sizeof buffer;
        status = ::inflate(&stream, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - stream.avail_out);
    }
    inflateEnd(&stream);
    return status == Z_STREAM_END ? out : std::string();
}

}  // namespace

const nlohmann::json* service_output_model(std::string_view service_id) {
    static std::mutex mutex;
    static std::map<std::string, nlohmann::json, std::less<>> parsed;
    std::lock_guard lock(mutex);
    if (auto it = parsed.find(service_id); it != parsed.end()) return it->second.is_null() ? nullptr : &it->second;
    nlohmann::json model;
    if (auto record = compressed_record(service_id); !record.empty())
        model = nlohmann::json::parse(inflate(record), nullptr, /*allow_exceptions=*/false);
    if (model.is_discarded()) model = nullptr;
    auto& slot = parsed.emplace(std::string(service_id), std::move(model)).first->second;
    return slot.is_null() ? nullptr : &slot;
}

}  // namespace sluice::sfn
