#pragma once
// Byte encodings used on the wire: base64 (blobs), percent-encoding (query protocol, URLs).
#include <optional>
#include <string>
#include <string_view>

namespace sluice::core {

std::string base64_encode(std::string_view bytes);
// Strict: rejects characters outside the alphabet and bad padding.
std::optional<std::string> base64_decode(std::string_view text);

// The value of one hexadecimal digit, either case, or -1 for any other character.
constexpr int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string url_decode(std::string_view text, bool plus_is_space = true);
std::string url_encode(std::string_view text);

// List pagination: an opaque nextToken that carries an offset into the listing, and back
// (nullopt for a token Sluice did not hand out).
std::string page_token(std::size_t offset);
std::optional<std::size_t> page_offset(std::string_view token);

// True when `text` is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);
// The length of the well-formed UTF-8 sequence `text` starts with (1 for ASCII), or 0 when it
// starts with none: no overlong forms, no surrogates, nothing above U+10FFFF.
std::size_t utf8_sequence_length(std::string_view text);
// Characters (code points) in valid UTF-8 text, as AWS counts lengths.
std::size_t utf8_length(std::string_view text);

}  // namespace sluice::core
