#include "sluice/protocol/xml.hpp"

#include <cstdio>

namespace sluice::protocol::xml {

void append_escaped(std::string& out, std::string_view text) {
    // Runs of characters that need no escape are appended whole.
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char* entity;
        switch (text[i]) {
            case '&': entity = "&amp;"; break;
            case '<': entity = "&lt;"; break;
            case '>': entity = "&gt;"; break;
            case '"': entity = "&quot;"; break;
            case '\'': entity = "&apos;"; break;
            // Characters XML would otherwise normalise away must survive a round trip.
            case '\r': entity = "&#xD;"; break;
            case '\t': entity = "&#x9;"; break;
            default: continue;
        }
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

Writer& Writer::element(std::string_view name, std::string_view text) {
    open(name);
    append_escaped(out_, text);
    return close(name);
}

}  // namespace sluice::protocol::xml
