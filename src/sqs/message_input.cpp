#include "message_input.hpp"

#include <algorithm>
#include <cctype>
#include <clocale>
#include <cstdio>
#include <cstring>
#include <cwctype>
#include <set>

#include <locale.h>
#include <strings.h>
#include <wctype.h>

#include "params.hpp"
#include "sluice/core/digest.hpp"
#include "sluice/core/encoding.hpp"
#include "sluice/sqs/errors.hpp"

namespace sluice::sqs {

namespace {

using Json = nlohmann::json;

// Decodes one code point of valid UTF-8 at `i`, moving `i` past it.
std::uint32_t next_code_point(std::string_view text, std::size_t& i) {
    auto c = static_cast<unsigned char>(text[i]);
    std::uint32_t cp;
    std::size_t n;
    if (c < 0x80) {
        cp = c;
        n = 1;
    } else if ((c & 0xE0) == 0xC0) {
        cp = c & 0x1F;
        n = 2;
    } else if ((c & 0xF0) == 0xE0) {
        cp = c & 0x0F;
        n = 3;
    } else {
        cp = c & 0x07;
        n = 4;
    }
    for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    i += n;
    return cp;
}

// The characters a message and its string attribute values may hold (SendMessage API
// reference): #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
bool allowed_character(std::uint32_t cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
           (cp >= 0x10000 && cp <= 0x10FFFF);
}

void check_body_characters(const std::string& body) {
    auto fail = [](std::uint32_t cp) {
        char hex[16];
        std::snprintf(hex, sizeof hex, "%X", cp);
        return error("InvalidMessageContents",
                     std::string("Invalid binary character '#x") + hex +
                         "' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | "
                         "[#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].");
    };
    // Bytes 0x20-0x7F are allowed; most bodies are only those, so skip them 8 at a time.
    std::size_t start = 0;
    for (std::uint64_t word; start + 8 <= body.size(); start += 8) {
        std::memcpy(&word, body.data() + start, 8);
        constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
        if ((((word - ones * 0x20) & ~word) | word) & highs) break;  // a byte below 0x20 or above 0x7F
    }
    if (!core::is_valid_utf8(std::string_view(body).substr(start))) throw fail(0xFFFD);
    for (std::size_t i = start; i < body.size();) {
        const auto cp = next_code_point(body, i);
        if (!allowed_character(cp)) throw fail(cp);
    }
}

// A string attribute value obeys the body's character rule: AWS refuses one holding \b or \v
// with InvalidParameterValue (LocalStack test_sqs.py test_send_message_with_invalid_string_attributes
// and test_invalid_string_attributes_cause_invalid_parameter_value_error, recorded on AWS).
bool valid_string_value(std::string_view value) {
    if (!core::is_valid_utf8(value)) return false;
    for (std::size_t i = 0; i < value.size();)
        if (!allowed_character(next_code_point(value, i))) return false;
    return true;
}

// Letters and digits of any script: AWS accepts the attribute name "attr.1øßä" and refuses
// "Invalid-§-attr" (test_send_message_with_invalid_string_attributes, recorded on AWS). Outside
// ASCII, the C library's Unicode tables (the C.UTF-8 locale) decide what is a letter or digit.
bool unicode_alnum(std::uint32_t cp) {
    static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    if (utf8) return iswalnum_l(static_cast<wint_t>(cp), utf8) != 0;
    // Without the locale: the Latin-1 letters, and everything past Latin-1.
    return (cp >= 0xC0 && cp != 0xD7 && cp != 0xF7);
}

bool is_number(const std::string& s) {
    // AWS accepts decimal numbers: optional sign, digits, optional fraction, optional exponent.
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        std::size_t exp = 0;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exp;
        if (exp == 0) return false;
    }
    return i == s.size();
}

bool valid_attribute_name(const std::string& name) {
    if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string::npos) return false;
    if (std::all_of(name.begin(), name.end(),
                    [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-' || c == '.'; }))
        return true;
    if (!core::is_valid_utf8(name)) return false;
    for (std::size_t i = 0; i < name.size();) {
        const auto cp = next_code_point(name, i);
        const bool ok =
            cp < 0x80 ? (std::isalnum(static_cast<int>(cp)) || cp == '_' || cp == '-' || cp == '.') : unicode_alnum(cp);
        if (!ok) return false;
    }
    return true;
}

MessageAttributes read_attributes(const Json& p) {
    MessageAttributes out;
    const Json* attrs = params::find(p, "MessageAttributes");
    if (!attrs || !attrs->is_object()) return out;
    if (attrs->size() > 10)
        throw invalid_parameter_value("Number of message attributes [" + std::to_string(attrs->size()) +
                                      "] exceeds the allowed maximum [10].");
    for (const auto& [name, value] : attrs->items()) {
        if (name.empty())
            throw invalid_parameter_value("The request must contain non-empty message (user) attribute names.");
        if (name.size() >= 256)
            throw invalid_parameter_value("Message (user) attribute name must be shorter than 256 bytes.");
        if (strncasecmp(name.c_str(), "AWS.", 4) == 0 || strncasecmp(name.c_str(), "Amazon.", 7) == 0)
            throw invalid_parameter_value(
                "You can't use message attribute names beginning with 'AWS.' or 'Amazon'. These "
                "strings are reserved for internal use.");
        if (!valid_attribute_name(name))
            throw invalid_parameter_value(
                "Message (user) attributes name can only contain upper and lower score "
                "characters, digits, periods, hyphens and underscores.");
        if (!value.is_object())
            throw invalid_parameter_value("The message (user) attribute '" + name +
                                          "' must contain a non-empty message attribute value.");
        if (params::find(value, "StringListValues") || params::find(value, "BinaryListValues"))
            throw error("UnsupportedOperation",
                        "Message attribute list values in SendMessage operation are not supported.");
        auto type = params::str(value, "DataType").value_or("");
        if (type.empty())
            throw invalid_parameter_value("The message (user) attribute '" + name +
                                          "' must contain a non-empty message attribute type.");
        if (type.size() >= 256)
            throw invalid_parameter_value("Message (user) attribute type must be shorter than 256 bytes.");
        auto base = type.substr(0, type.find('.'));
        if (base != "String" && base != "Number" && base != "Binary")
            throw invalid_parameter_value("The type of message (user) attribute '" + name +
                                          "' is invalid. You must use only the following supported type prefixes: "
                                          "Binary, Number, String.");
        auto string_value = params::str(value, "StringValue");
        auto binary_value = params::str(value, "BinaryValue");
        AttributeValue attr{type, {}};
        if (base == "Binary") {
            if (!binary_value && !string_value)
                throw invalid_parameter_value("The message (user) attribute '" + name +
                                              "' must contain a non-empty message attribute value.");
            if (!binary_value || binary_value->empty())
                throw invalid_parameter_value("Message (user) attribute '" + name +
                                              "' must contain a non-empty value of type 'Binary'.");
            auto decoded = core::base64_decode(*binary_value);
            if (!decoded)
                throw invalid_parameter_value("Message (user) attribute '" + name + "' has an invalid binary value.");
            attr.value = std::move(*decoded);
        } else {
            if (!binary_value && !string_value)
                throw invalid_parameter_value("The message (user) attribute '" + name +
                                              "' must contain a non-empty message attribute value.");
            if (!string_value || string_value->empty())
                throw invalid_parameter_value("Message (user) attribute '" + name +
                                              "' must contain a non-empty value of type '" + base + "'.");
            if (!valid_string_value(*string_value))
                throw invalid_parameter_value("Message (user) attribute '" + name +
                                              "' must contain only valid characters.");
            if (base == "Number" && !is_number(*string_value))
                throw invalid_parameter_value("Can't cast the value of message (user) attribute '" + name +
                                              "' to a number.");
            attr.value = std::move(*string_value);
        }
        out.emplace(name, std::move(attr));
    }
    return out;
}

MessageAttributes read_system_attributes(const Json& p) {
    MessageAttributes out;
    const Json* attrs = params::find(p, "MessageSystemAttributes");
    if (!attrs || !attrs->is_object()) return out;
    for (const auto& [name, value] : attrs->items()) {
        if (name != "AWSTraceHeader")
            throw invalid_parameter_value("Message system attribute name '" + name + "' is invalid.");
        auto type = value.is_object() ? params::str(value, "DataType").value_or("") : "";
        auto text = value.is_object() ? params::str(value, "StringValue").value_or("") : "";
        if (type != "String" || text.empty())
            throw invalid_parameter_value("Message system attribute '" + name +
                                          "' must contain a non-empty value of type 'String'.");
        out.emplace(name, AttributeValue{type, text});
    }
    return out;
}

bool valid_fifo_id(const std::string& id) {
    return !id.empty() && id.size() <= 128 &&
           std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isalnum(c) || std::ispunct(c); });
}

}  // namespace

std::size_t message_size(const SendRequest& r) {
    std::size_t size = r.body.size();
    for (const auto& [name, v] : r.attributes) size += name.size() + v.data_type.size() + v.value.size();
    return size;
}

void check_fifo_fields(const Json& p, const MessageRules& rules, bool in_batch) {
    auto group = params::str(p, "MessageGroupId");
    auto dedup = params::str(p, "MessageDeduplicationId");
    if (group && !valid_fifo_id(*group))
        throw invalid_parameter_value("Value " + *group +
                                      " for parameter MessageGroupId is invalid. Reason: MessageGroupId "
                                      "can only include alphanumeric and punctuation characters. 1 to 128 in length.");
    if (dedup && !valid_fifo_id(*dedup))
        throw invalid_parameter_value(
            "Value " + *dedup +
            " for parameter MessageDeduplicationId is invalid. Reason: "
            "MessageDeduplicationId can only include alphanumeric and punctuation characters. "
            "1 to 128 in length.");
    if (!rules.fifo) {
        if (dedup)
            throw invalid_parameter_value("Value " + *dedup +
                                          " for parameter MessageDeduplicationId is invalid. Reason: "
                                          "The request includes a parameter that is not valid for this queue type.");
        return;
    }
    if (!group) {
        if (in_batch) throw invalid_parameter_value("The request must contain the parameter MessageGroupId.");
        throw protocol::common_errors::missing_parameter("MessageGroupId");
    }
    if (!dedup && !rules.content_based_deduplication)
        throw invalid_parameter_value(
            "The queue should either have ContentBasedDeduplication enabled or "
            "MessageDeduplicationId provided explicitly");
}

SendRequest read_message(const Json& p, const MessageRules& rules, bool in_batch) {
    SendRequest r;
    auto body = params::str(p, "MessageBody");
    if (!body || body->empty()) throw protocol::common_errors::missing_parameter("MessageBody");
    check_body_characters(*body);
    r.body = std::move(*body);
    if (auto delay = params::integer(p, "DelaySeconds")) {
        if (*delay < 0 || *delay > 900)
            throw invalid_parameter_value("Value " + std::to_string(*delay) +
                                          " for parameter DelaySeconds is invalid. "
                                          "Reason: DelaySeconds must be >= 0 and <= 900.");
        if (rules.fifo && *delay != 0)
            throw invalid_parameter_value(
                "Value " + std::to_string(*delay) +
                " for parameter DelaySeconds is invalid. "
                "Reason: The request include parameter that is not valid for this queue type.");
        if (!rules.fifo) r.delay_seconds = static_cast<int>(*delay);
    }
    r.attributes = read_attributes(p);
    r.system_attributes = read_system_attributes(p);
    r.group_id = params::str(p, "MessageGroupId").value_or("");
    if (rules.fifo) {
        r.deduplication_id = params::str(p, "MessageDeduplicationId").value_or("");
        // Content-based deduplication hashes the body only (FIFO key terms).
        if (r.deduplication_id.empty()) r.deduplication_id = core::sha256_hex(r.body);
    }
    const auto max = rules.maximum_message_size;
    // The same limit is worded differently in a batch entry's failure (LocalStack test_sqs.py
    // test_send_batch_message_size and test_send_oversized_message, recorded on AWS).
    if (message_size(r) > max)
        throw invalid_parameter_value(std::string(in_batch ? "One or more parameters cannot be validated."
                                                           : "One or more parameters are invalid.") +
                                      " Reason: Message must be shorter than " + std::to_string(max) + " bytes.");
    r.digests = digest(r);
    return r;
}

void check_batch_entries(const Json& entries, const std::string& entry_name) {
    if (!entries.is_array() || entries.empty())
        throw error("EmptyBatchRequest", "There should be at least one " + entry_name + " in the request.");
    if (entries.size() > 10)
        throw error("TooManyEntriesInBatchRequest", "Maximum number of entries per request are 10. You have sent " +
                                                        std::to_string(entries.size()) + ".");
    std::set<std::string> seen;
    std::size_t index = 1;
    for (const auto& e : entries) {
        auto id = e.is_object() ? params::str(e, "Id") : std::nullopt;
        if (!id) throw protocol::common_errors::missing_parameter(entry_name + "." + std::to_string(index) + ".Id");
        if (id->empty() || id->size() > 80 || !std::all_of(id->begin(), id->end(), [](unsigned char c) {
                return std::isalnum(c) || c == '-' || c == '_';
            }))
            throw error("InvalidBatchEntryId",
                        "A batch entry id can only contain alphanumeric characters, hyphens and "
                        "underscores. It can be at most 80 letters long.");
        if (!seen.insert(*id).second) throw error("BatchEntryIdsNotDistinct", "Id " + *id + " repeated.");
        ++index;
    }
}

}  // namespace sluice::sqs
