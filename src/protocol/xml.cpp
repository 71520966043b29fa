#include "sluice/protocol/xml.hpp"

#include <cstdio>

namespace sluice::protocol::xml {

void append_escaped(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            // Characters XML would otherwise normalise away must survive a round trip.
            case '\r': out += "&#xD;"; break;
            case '\t': out += "&#x9;"; break;
            default: out += c;
        }
    }
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
