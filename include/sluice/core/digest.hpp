#pragma once
// Message digests the AWS APIs expose (SQS MD5s, FIFO content-based deduplication, the
// States.Hash intrinsic).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::core {

using Md5 = std::array<std::uint8_t, 16>;

Md5 md5(std::string_view data);
std::string md5_hex(std::string_view data);
std::string to_hex(const std::uint8_t* data, std::size_t size);
inline std::string to_hex(const Md5& d) {
    return to_hex(d.data(), d.size());
}
std::string sha256_hex(std::string_view data);
// SHA-1, SHA-384 and SHA-512 (FIPS 180-4), lower-case hex: the rest of States.Hash's algorithms.
std::string sha1_hex(std::string_view data);
std::string sha384_hex(std::string_view data);
std::string sha512_hex(std::string_view data);

// Incremental MD5, for digests computed over a structured encoding without building a buffer.
class Md5Builder {
public:
    Md5Builder();
    ~Md5Builder();
    Md5Builder(const Md5Builder&) = delete;
    Md5Builder& operator=(const Md5Builder&) = delete;
    Md5Builder& add(std::string_view bytes);
    Md5Builder& add_length_prefixed(std::string_view bytes);  // 4-byte big-endian length, then bytes
    Md5Builder& add_byte(std::uint8_t b);
    Md5 finish();

private:
    void* ctx_;
};

}  // namespace sluice::core
