#pragma once
// A minimal XML writer for AWS responses: escaped text, nested elements.
#include <string>
#include <string_view>

namespace sluice::protocol::xml {

void append_escaped(std::string& out, std::string_view text);

class Writer {
public:
    Writer() {
        out_.reserve(1024);  // most answers fit: no regrowth while writing
        out_ = R"(<?xml version="1.0"?>)";
    }
    Writer& open(std::string_view name);
    Writer& open_ns(std::string_view name, std::string_view xmlns);
    Writer& close(std::string_view name);
    // Closes `name`, written <name/> when nothing was written in it.
    Writer& close_or_collapse(std::string_view name);
    Writer& element(std::string_view name, std::string_view text);
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

}  // namespace sluice::protocol::xml
