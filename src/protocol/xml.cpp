#include "sluice/protocol/xml.hpp"

#include <cstdio>

namespace sluice::protocol::xml {

namespace {
// The entity for each character XML text must escape, or null.
struct Entities {
    const char* of[256] = {};
    constexpr Entities() {
        of[static_cast<unsigned char>('&')] = "&amp;";
        of[static_cast<unsigned char>('<')] = "&lt;";
        of[static_cast<unsigned char>('>')] = "&gt;";
        of[static_cast<unsigned char>('"')] = "&quot;";
        of[static_cast<unsigned char>('\'')] = "&apos;";
        // Characters XML would otherwise normalise away must survive a round trip.
        of[static_cast<unsigned char>('\r')] = "&#xD;";
        of[static_cast<unsigned char>('\t')] = "&#x9;";
    }
};
constexpr Entities kEntities;
}  // namespace

void append_escaped(std::string& out, std::string_view text) {
    // Runs of characters that need no escape are appended whole.
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char* entity = kEntities.of[static_cast<unsigned char>(text[i])];
        if (!entity) continue;
        out.append(text.data() + run, i - run);
        out += entity;
        run = i + 1;
    }
    out.append(text.data() + run, text.size() - run);
}

Writer& Writer::open(std::string_view name) {
    out_ += '<';
    out_ += name;
    out_ += '>';
    return *this;
}

Writer& Writer::open_ns(std::string_view name, std::string_view xmlns) {
    out_ += '<';
    out_ += name;
    out_ += " xmlns=\"";
    out_ += xmlns;
    out_ += "\">";
    return *this;
}

Writer& Writer::close(std::string_view name) {
    out_ += "</";
    out_ += name;
    out_ += '>';
    return *this;
}

Writer& Writer::close_or_collapse(std::string_view name) {
    const std::size_t opened = name.size() + 2;  // <name>
    if (out_.size() >= opened && out_.back() == '>' && out_[out_.size() - opened] == '<' &&
        std::string_view(out_).substr(out_.size() - opened + 1, name.size()) == name) {
        out_.back() = '/';
        out_ += '>';
        return *this;
    }
    return close(name);
}

Writer& Writer::element(std::string_view name, std::string_view text) {
    open(name);
    append_escaped(out_, text);
    return close(name);
}

}  // namespace sluice::protocol::xml
