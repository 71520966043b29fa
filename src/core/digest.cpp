// MD5 (RFC 1321) and SHA-1/SHA-256/SHA-384/SHA-512 (FIPS 180-4). Sluice needs them as checksums the
// AWS APIs define (SQS's MD5 digests, FIFO content-based deduplication, States.Hash), never for security. Written here
// rather than taken from OpenSSL because loading libcrypto cost the daemon ~3.5 ms of its start-up.
#include "sluice/core/digest.hpp"

#include <cstring>

namespace sluice::core {

namespace {

inline std::uint32_t rotl(std::uint32_t x, int c) {
    return (x << c) | (x >> (32 - c));
}
inline std::uint32_t rotr(std::uint32_t x, int c) {
    return (x >> c) | (x << (32 - c));
}

struct Md5State {
    std::uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    std::uint8_t block[64];
    std::size_t used = 0;
    std::uint64_t total = 0;

    // The four rounds as separate, fully unrolled loops: with the round function chosen per step
    // (one loop of 64 with branches) a 256-byte SendMessage spent 10k instructions on its digest.
    void compress(const std::uint8_t* p) {
        static constexpr std::uint32_t K[64] = {
            0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
            0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
            0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
            0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
            0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
            0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
            0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
            0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
        static constexpr int R[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};
        std::uint32_t m[16];
        for (int i = 0; i < 16; ++i)
            m[i] = p[4 * i] | (p[4 * i + 1] << 8) | (p[4 * i + 2] << 16) |
                   (static_cast<std::uint32_t>(p[4 * i + 3]) << 24);
        std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
        auto step = [&](std::uint32_t f, int i, int g, int r) {
            const std::uint32_t next = d;
            d = c;
            c = b;
            b = b + rotl(a + f + K[i] + m[g], r);
            a = next;
        };
#pragma GCC unroll 16
        for (int i = 0; i < 16; ++i) step(d ^ (b & (c ^ d)), i, i, R[0][i % 4]);
#pragma GCC unroll 16
        for (int i = 16; i < 32; ++i) step(c ^ (d & (b ^ c)), i, (5 * i + 1) % 16, R[1][i % 4]);
#pragma GCC unroll 16
        for (int i = 32; i < 48; ++i) step(b ^ c ^ d, i, (3 * i + 5) % 16, R[2][i % 4]);
#pragma GCC unroll 16
        for (int i = 48; i < 64; ++i) step(c ^ (b | ~d), i, (7 * i) % 16, R[3][i % 4]);
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
    }

    void update(const std::uint8_t* p, std::size_t n) {
        total += n;
        if (used > 0) {
            const std::size_t take = std::min(n, 64 - used);
            std::memcpy(block + used, p, take);
            used += take;
            p += take;
            n -= take;
            if (used < 64) return;
            compress(block);
            used = 0;
        }
        for (; n >= 64; p += 64, n -= 64) compress(p);
        std::memcpy(block, p, n);
        used = n;
    }

    Md5 finish() {
        const std::uint64_t bits = total * 8;
        // 0x80, zeros up to 56 bytes into a block, then the bit length little-endian.
        std::uint8_t pad[72] = {0x80};
        const std::size_t zeros = (used < 56 ? 56 : 120) - used;
        for (int i = 0; i < 8; ++i) pad[zeros + i] = static_cast<std::uint8_t>(bits >> (8 * i));
        update(pad, zeros + 8);
        Md5 out{};
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>(h[i] >> (8 * j));
        return out;
    }
};

std::array<std::uint8_t, 32> sha256(std::string_view data) {
    static constexpr std::uint32_t K[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
    std::uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    // The message, padded: 0x80, zeros, then the bit length big-endian, to a multiple of 64.
    std::string msg(data);
    const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
    msg += static_cast<char>(0x80);
    while (msg.size() % 64 != 56) msg += '\0';
    for (int i = 7; i >= 0; --i) msg += static_cast<char>(bits >> (8 * i));
    for (std::size_t off = 0; off < msg.size(); off += 64) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(msg.data() + off);
        std::uint32_t w[64];
        for (int i = 0; i < 16; ++i)
            w[i] = (static_cast<std::uint32_t>(p[4 * i]) << 24) | (p[4 * i + 1] << 16) | (p[4 * i + 2] << 8) |
                   p[4 * i + 3];
        for (int i = 16; i < 64; ++i) {
            const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int i = 0; i < 64; ++i) {
            const std::uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
            const std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            hh = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += hh;
    }
    std::array<std::uint8_t, 32> out{};
    for (int i = 0; i < 8; ++i)
        for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>(h[i] >> (24 - 8 * j));
    return out;
}

// The message padded as SHA-1 and the SHA-2 family want it: 0x80, zeros, then the bit length
// big-endian in the last `length_bytes` bytes, to a multiple of `block` bytes.
std::string padded(std::string_view data, std::size_t block, std::size_t length_bytes) {
    std::string msg(data);
    const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
    msg += static_cast<char>(0x80);
    while (msg.size() % block != block - length_bytes) msg += '\0';
    msg.append(length_bytes - 8, '\0');  // the high bits of a 128-bit length are zero for any string we hold
    for (int i = 7; i >= 0; --i) msg += static_cast<char>(bits >> (8 * i));
    return msg;
}

std::array<std::uint8_t, 20> sha1(std::string_view data) {
    std::uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    const std::string msg = padded(data, 64, 8);
    for (std::size_t off = 0; off < msg.size(); off += 64) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(msg.data() + off);
        std::uint32_t w[80];
        for (int i = 0; i < 16; ++i)
            w[i] = (static_cast<std::uint32_t>(p[4 * i]) << 24) | (p[4 * i + 1] << 16) | (p[4 * i + 2] << 8) |
                   p[4 * i + 3];
        for (int i = 16; i < 80; ++i) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int i = 0; i < 80; ++i) {
            std::uint32_t f, k;
            if (i < 20) {
                f = (b & c) | (~b & d);
                k = 0x5a827999;
            } else if (i < 40) {
                f = b ^ c ^ d;
                k = 0x6ed9eba1;
            } else if (i < 60) {
                f = (b & c) | (b & d) | (c & d);
                k = 0x8f1bbcdc;
            } else {
                f = b ^ c ^ d;
                k = 0xca62c1d6;
            }
            const std::uint32_t t = rotl(a, 5) + f + e + k + w[i];
            e = d;
            d = c;
            c = rotl(b, 30);
            b = a;
            a = t;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
    }
    std::array<std::uint8_t, 20> out{};
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>(h[i] >> (24 - 8 * j));
    return out;
}

inline std::uint64_t rotr64(std::uint64_t x, int c) {
    return (x >> c) | (x << (64 - c));
}

// SHA-512 with the given initial hash; SHA-384 is the same compression with other initial
// values, its output cut to 48 bytes.
std::array<std::uint8_t, 64> sha512_family(std::string_view data, const std::uint64_t (&initial)[8]) {
    static constexpr std::uint64_t K[80] = {
        0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
        0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
        0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
        0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
        0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
        0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
        0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
        0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
        0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
        0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
        0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
        0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
        0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
        0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
        0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
        0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817};
    std::uint64_t h[8];
    for (int i = 0; i < 8; ++i) h[i] = initial[i];
    const std::string msg = padded(data, 128, 16);
    for (std::size_t off = 0; off < msg.size(); off += 128) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(msg.data() + off);
        std::uint64_t w[80];
        for (int i = 0; i < 16; ++i) {
            w[i] = 0;
            for (int j = 0; j < 8; ++j) w[i] = (w[i] << 8) | p[8 * i + j];
        }
        for (int i = 16; i < 80; ++i) {
            const std::uint64_t s0 = rotr64(w[i - 15], 1) ^ rotr64(w[i - 15], 8) ^ (w[i - 15] >> 7);
            const std::uint64_t s1 = rotr64(w[i - 2], 19) ^ rotr64(w[i - 2], 61) ^ (w[i - 2] >> 6);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        std::uint64_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int i = 0; i < 80; ++i) {
            const std::uint64_t t1 =
                hh + (rotr64(e, 14) ^ rotr64(e, 18) ^ rotr64(e, 41)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
            const std::uint64_t t2 = (rotr64(a, 28) ^ rotr64(a, 34) ^ rotr64(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));
            hh = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += hh;
    }
    std::array<std::uint8_t, 64> out{};
    for (int i = 0; i < 8; ++i)
        for (int j = 0; j < 8; ++j) out[8 * i + j] = static_cast<std::uint8_t>(h[i] >> (56 - 8 * j));
    return out;
}

}  // namespace

Md5 md5(std::string_view data) {
    Md5State s;
    s.update(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    return s.finish();
}

std::string md5_hex(std::string_view data) {
    return to_hex(md5(data));
}

std::string sha256_hex(std::string_view data) {
    auto d = sha256(data);
    return to_hex(d.data(), d.size());
}

std::string sha1_hex(std::string_view data) {
    auto d = sha1(data);
    return to_hex(d.data(), d.size());
}

std::string sha384_hex(std::string_view data) {
    static constexpr std::uint64_t kInitial[8] = {0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17,
                                                  0x152fecd8f70e5939, 0x67332667ffc00b31, 0x8eb44a8768581511,
                                                  0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4};
    auto d = sha512_family(data, kInitial);
    return to_hex(d.data(), 48);
}

std::string sha512_hex(std::string_view data) {
    static constexpr std::uint64_t kInitial[8] = {0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b,
                                                  0xa54ff53a5f1d36f1, 0x510e527fade682d1, 0x9b05688c2b3e6c1f,
                                                  0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};
    auto d = sha512_family(data, kInitial);
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

Md5Builder::Md5Builder() : ctx_(new Md5State) {}

Md5Builder::~Md5Builder() {
    delete static_cast<Md5State*>(ctx_);
}

Md5Builder& Md5Builder::add(std::string_view bytes) {
    static_cast<Md5State*>(ctx_)->update(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
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
    return static_cast<Md5State*>(ctx_)->finish();
}

}  // namespace sluice::core
