#pragma once
// Identifiers AWS hands out: UUIDs (message ids, request ids) and random tokens.
#include <array>
#include <cstdint>
#include <string>

namespace sluice::core {

using Uuid = std::array<std::uint8_t, 16>;

Uuid random_uuid();
std::string to_string(const Uuid& id);  // 8-4-4-4-12 lower-case hex
std::string random_uuid_string();
std::uint64_t random_u64();

}  // namespace sluice::core
