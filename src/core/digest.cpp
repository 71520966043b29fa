#include "sluice/core/digest.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace sluice::core {

namespace {
template <std::size_t N>
std::array<std::uint8_t, N> evp_digest(const EVP_MD* md, std::string_view data) {
    std::array<std::uint8_t, N> out{};
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1 || len != N)
        throw std::runtime_error("digest failed");
    return out;
}
}  // namespace

Md5 md5(std::string_view data) { return evp_digest<16>(EVP_md5(), data); }

std::string md5_hex(std::string_view data) { return to_hex(md5(data)); }

std::string sha256_hex(std::string_view data) {
    auto d = evp_digest<32>(EVP_sha256(), data);
    return to_hex(d.data(), d.size());
}

std::string to_hex(const std::uint8_t* data, std::size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 0xf];
    }
    return out;
}

Md5Builder::Md5Builder() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_md5(), nullptr) != 1)
        throw std::runtime_error("md5 init failed");
}

Md5Builder::~Md5Builder() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

Md5Builder& Md5Builder::add(std::string_view bytes) {
    EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size());
    return *this;
}

Md5Builder& Md5Builder::add_length_prefixed(std::string_view bytes) {
    auto n = static_cast<std::uint32_t>(bytes.size());
    const char len[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                         static_cast<char>(n)};
    add(std::string_view(len, 4));
    return add(bytes);
}

Md5Builder& Md5Builder::add_byte(std::uint8_t b) {
    const char c = static_cast<char>(b);
    return add(std::string_view(&c, 1));
}

Md5 Md5Builder::finish() {
    Md5 out{};
    unsigned int len = 0;
    EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), out.data(), &len);
    return out;
}

}  // namespace sluice::core
