#include "sluice/core/ids.hpp"

#include <random>

namespace sluice::core {

namespace {
std::mt19937_64& engine() {
    thread_local std::mt19937_64 gen{std::random_device{}()};
    return gen;
}
}  // namespace

std::uint64_t random_u64() {
    return engine()();
}

Uuid random_uuid() {
    Uuid id{};
    for (int i = 0; i < 16; i += 8) {
        auto r = random_u64();
        for (int j = 0; j < 8; ++j) id[i + j] = static_cast<std::uint8_t>(r >> (8 * j));
    }
    id[6] = static_cast<std::uint8_t>((id[6] & 0x0f) | 0x40);  // version 4
    id[8] = static_cast<std::uint8_t>((id[8] & 0x3f) | 0x80);  // RFC 4122 variant
    return id;
}

std::string to_string(const Uuid& id) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(36, '-');
    std::size_t at = 0;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) ++at;  // the dashes are already there
        out[at++] = digits[id[i] >> 4];
        out[at++] = digits[id[i] & 15];
    }
    return out;
}

std::string random_uuid_string() {
    return to_string(random_uuid());
}

}  // namespace sluice::core
