#include "sluice/sqs/receipt_handle.hpp"

#include <array>

#include "sluice/core/encoding.hpp"

namespace sluice::sqs {

namespace {
constexpr std::string_view kMagic = "SLq1";
constexpr std::size_t kSize = 4 + 8 + 8 + 4;

void put(std::string& out, std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}
std::uint64_t get(std::string_view in, std::size_t at, int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<std::uint8_t>(in[at + i]);
    return v;
}
}  // namespace

std::string ReceiptHandle::encode() const {
    std::string raw(kMagic);
    put(raw, queue_uid, 8);
    put(raw, serial, 8);
    put(raw, nonce, 4);
    return core::base64_encode(raw);
}

std::optional<ReceiptHandle> ReceiptHandle::decode(std::string_view text) {
    auto raw = core::base64_decode(text);
    if (!raw || raw->size() != kSize || std::string_view(*raw).substr(0, 4) != kMagic) return std::nullopt;
    ReceiptHandle h;
    h.queue_uid = get(*raw, 4, 8);
    h.serial = get(*raw, 12, 8);
    h.nonce = static_cast<std::uint32_t>(get(*raw, 20, 4));
    if (h.nonce == 0) return std::nullopt;  // never issued: every receive bumps the nonce first
    return h;
}

}  // namespace sluice::sqs
