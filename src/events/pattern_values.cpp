// Value helpers of the event-pattern engine: IP literals, case folding, wildcards.
#include <algorithm>

#include "pattern_tree.hpp"
#include "sluice/core/encoding.hpp"

namespace sluice::events::detail {

// ---- IP addresses ------------------------------------------------------------------------------

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// event-ruler's IPv4 shape: [0-9]+\.[0-9]+\.[0-9]+\.[0-9]+
bool ipv4_shape(std::string_view s) {
    int dots = 0;
    bool digit_before = false;
    for (char c : s) {
        if (is_digit(c)) {
            digit_before = true;
        } else if (c == '.' && digit_before && dots < 3) {
            ++dots;
            digit_before = false;
        } else {
            return false;
        }
    }
    return dots == 3 && digit_before;
}

// event-ruler's IPv6 shape: [0-9a-fA-F:]*:[0-9a-fA-F:]*
bool ipv6_shape(std::string_view s) {
    bool colon = false;
    for (char c : s) {
        if (c == ':') {
            colon = true;
        } else if (core::hex_value(c) < 0) {
            return false;
        }
    }
    return colon;
}

std::optional<IpAddress> parse_ipv4(std::string_view s) {
    IpAddress out;
    out.size = 4;
    std::size_t i = 0;
    for (int part = 0; part < 4; ++part) {
        std::size_t start = i;
        unsigned value = 0;
        while (i < s.size() && is_digit(s[i])) {
            value = value * 10 + static_cast<unsigned>(s[i] - '0');
            if (value > 255) return std::nullopt;
            ++i;
        }
        std::size_t length = i - start;
        // Java rejects leading zeros as ambiguous (octal or decimal?) since JDK-8277608.
        if (length == 0 || (length > 1 && s[start] == '0')) return std::nullopt;
        out.bytes[part] = static_cast<std::uint8_t>(value);
        if (part < 3) {
            if (i >= s.size() || s[i] != '.') return std::nullopt;
            ++i;
        }
    }
    if (i != s.size()) return std::nullopt;
    return out;
}

// Java's IPAddressUtil.textToNumericFormatV6, without the embedded-IPv4 and zone forms that
// event-ruler's shape check already excludes.
std::optional<IpAddress> parse_ipv6(std::string_view s) {
    if (s.size() < 2) return std::nullopt;
    std::array<std::uint8_t, 16> b{};
    int j = 0;
    int colon_at = -1;
    std::size_t i = 0;
    if (s[0] == ':' && s[++i] != ':') return std::nullopt;
    bool saw_digit = false;
    unsigned value = 0;
    while (i < s.size()) {
        char c = s[i++];
        int digit = core::hex_value(c);
        if (digit >= 0) {
            value = (value << 4) | static_cast<unsigned>(digit);
            if (value > 0xffff) return std::nullopt;
            saw_digit = true;
            continue;
        }
        if (c != ':') return std::nullopt;
        if (!saw_digit) {
            if (colon_at != -1) return std::nullopt;
            colon_at = j;
            continue;
        }
        if (i == s.size()) return std::nullopt;  // a single trailing colon
        if (j + 2 > 16) return std::nullopt;
        b[j++] = static_cast<std::uint8_t>(value >> 8);
        b[j++] = static_cast<std::uint8_t>(value & 0xff);
        saw_digit = false;
        value = 0;
    }
    if (saw_digit) {
        if (j + 2 > 16) return std::nullopt;
        b[j++] = static_cast<std::uint8_t>(value >> 8);
        b[j++] = static_cast<std::uint8_t>(value & 0xff);
    }
    if (colon_at != -1) {
        if (j == 16) return std::nullopt;  // `::` must stand for at least one group
        int moved = j - colon_at;
        for (int k = 1; k <= moved; ++k) {
            b[16 - k] = b[colon_at + moved - k];
            b[colon_at + moved - k] = 0;
        }
        j = 16;
    }
    if (j != 16) return std::nullopt;
    IpAddress out;
    bool mapped =
        std::all_of(b.begin(), b.begin() + 10, [](std::uint8_t x) { return x == 0; }) && b[10] == 0xff && b[11] == 0xff;
    if (mapped) {
        out.size = 4;
        std::copy(b.begin() + 12, b.end(), out.bytes.begin());
    } else {
        out.size = 16;
        out.bytes = b;
    }
    return out;
}

}  // namespace

bool looks_like_ip(std::string_view text) {
    return ipv4_shape(text) || ipv6_shape(text);
}

std::optional<IpAddress> parse_ip(std::string_view text) {
    if (ipv4_shape(text)) return parse_ipv4(text);
    if (ipv6_shape(text)) return parse_ipv6(text);
    return std::nullopt;
}

bool CidrRange::contains(const IpAddress& address) const {
    if (address.size != low.size) return false;
    auto begin = address.bytes.begin(), end = address.bytes.begin() + address.size;
    return !std::lexicographical_compare(begin, end, low.bytes.begin(), low.bytes.begin() + low.size) &&
           !std::lexicographical_compare(high.bytes.begin(), high.bytes.begin() + high.size, begin, end);
}

// ---- case folding ------------------------------------------------------------------------------

namespace {

constexpr char32_t kMalformed = 0x110000;  // + the byte: a malformed UTF-8 byte

// Decodes the code point at `i` and moves past it.
char32_t next_code_point(std::string_view s, std::size_t& i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char lead = byte(i);
    int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xe ? 3 : (lead >> 3) == 0x1e ? 4 : 0;
    if (length == 0 || i + length > s.size()) return kMalformed + byte(i++);
    char32_t c = length == 1 ? lead : length == 2 ? (lead & 0x1f) : length == 3 ? (lead & 0x0f) : (lead & 0x07);
    for (int k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xc0) != 0x80) return kMalformed + byte(i++);
        c = (c << 6) | (byte(i + k) & 0x3f);
    }
    i += length;
    return c;
}

bool even(char32_t c) {
    return c % 2 == 0;
}

char32_t fold(char32_t c) {
    if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
    if (c >= 0xc0 && c <= 0xde && c != 0xd7) return c + 0x20;
    if (c == 0x178) return 0xff;
    if (c == 0x17f) return 's';  // long s
    if (c >= 0x100 && c <= 0x17e) {
        if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149) return c;
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) return even(c) ? c : c + 1;
        return even(c) ? c + 1 : c;
    }
    if (c >= 0x1e00 && c <= 0x1eff) {
        if (c >= 0x1e96 && c <= 0x1e9f) return c;
        return even(c) ? c + 1 : c;
    }
    if (c == 0x386) return 0x3ac;
    if (c >= 0x388 && c <= 0x38a) return c + 37;
    if (c == 0x38c) return 0x3cc;
    if (c == 0x38e || c == 0x38f) return c + 63;
    if (c >= 0x391 && c <= 0x3ab && c != 0x3a2) return c + 0x20;
    if (c == 0x3c2) return 0x3c3;  // final sigma
    if (c >= 0x400 && c <= 0x40f) return c + 0x50;
    if (c >= 0x410 && c <= 0x42f) return c + 0x20;
    if ((c >= 0x460 && c <= 0x481) || (c >= 0x48a && c <= 0x4bf) || (c >= 0x4d0 && c <= 0x52f))
        return even(c) ? c + 1 : c;
    if (c == 0x4c0) return 0x4cf;
    if (c >= 0x4c1 && c <= 0x4ce) return even(c) ? c : c + 1;
    if (c >= 0x531 && c <= 0x556) return c + 0x30;
    if (c >= 0xff21 && c <= 0xff3a) return c + 0x20;
    return c;
}

}  // namespace

std::u32string fold_case(std::string_view utf8) {
    std::u32string out;
    for (std::size_t i = 0; i < utf8.size();) out.push_back(fold(next_code_point(utf8, i)));
    return out;
}

bool starts_with_ignore_case(std::string_view value, const std::u32string& folded) {
    std::size_t i = 0;
    for (char32_t want : folded) {
        if (i >= value.size() || fold(next_code_point(value, i)) != want) return false;
    }
    return true;
}

bool equals_ignore_case(std::string_view value, const std::u32string& folded) {
    std::size_t i = 0;
    for (char32_t want : folded) {
        if (i >= value.size() || fold(next_code_point(value, i)) != want) return false;
    }
    return i == value.size();
}

bool ends_with_ignore_case(std::string_view value, const std::u32string& folded) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < value.size(); ++count) next_code_point(value, i);
    if (count < folded.size()) return false;
    std::size_t i = 0;
    for (std::size_t skip = count - folded.size(); skip > 0; --skip) next_code_point(value, i);
    for (char32_t want : folded) {
        if (fold(next_code_point(value, i)) != want) return false;
    }
    return true;
}

// ---- wildcards ---------------------------------------------------------------------------------

namespace {

std::vector<std::uint32_t> border_table(std::string_view piece) {
    std::vector<std::uint32_t> border(piece.size(), 0);
    for (std::size_t i = 1, k = 0; i < piece.size(); ++i) {
        while (k > 0 && piece[i] != piece[k]) k = border[k - 1];
        if (piece[i] == piece[k]) ++k;
        border[i] = static_cast<std::uint32_t>(k);
    }
    return border;
}

// Where `piece` first occurs in `text`, or npos; linear in both.
std::size_t find_piece(std::string_view text, std::string_view piece, const std::vector<std::uint32_t>& border) {
    if (piece.empty()) return 0;
    for (std::size_t i = 0, k = 0; i < text.size(); ++i) {
        while (k > 0 && text[i] != piece[k]) k = border[k - 1];
        if (text[i] == piece[k] && ++k == piece.size()) return i + 1 - piece.size();
    }
    return std::string_view::npos;
}

}  // namespace

std::optional<std::string> parse_wildcard(std::string_view text, Wildcard& out) {
    out.pieces.assign(1, std::string());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        // Positions count from 1: event-ruler parses the value with its opening quote.
        if (c == '*') {
            if (i + 1 < text.size() && text[i + 1] == '*')
                return "Consecutive wildcard characters at pos " + std::to_string(i + 1);
            out.pieces.emplace_back();
        } else if (c == '\\') {
            if (i + 1 < text.size() && (text[i + 1] == '*' || text[i + 1] == '\\')) {
                out.pieces.back().push_back(text[++i]);
            } else {
                return "Invalid escape character at pos " + std::to_string(i + 1);
            }
        } else {
            out.pieces.back().push_back(c);
        }
    }
    out.borders.clear();
    for (const std::string& piece : out.pieces) out.borders.push_back(border_table(piece));
    return std::nullopt;
}

bool Wildcard::matches(std::string_view value) const {
    const std::string& first = pieces.front();
    if (pieces.size() == 1) return value == first;
    const std::string& last = pieces.back();
    if (value.size() < first.size() + last.size() || !value.starts_with(first) || !value.ends_with(last)) return false;
    // Leftmost matches of the middle pieces, in order, between the first and the last piece.
    std::string_view middle = value.substr(first.size(), value.size() - first.size() - last.size());
    for (std::size_t k = 1; k + 1 < pieces.size(); ++k) {
        std::size_t at = find_piece(middle, pieces[k], borders[k]);
        if (at == std::string_view::npos) return false;
        middle.remove_prefix(at + pieces[k].size());
    }
    return true;
}

}  // namespace sluice::events::detail
