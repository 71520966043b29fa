#include "sluice/sfn/jsonpath.hpp"

#include <cctype>
#include <charconv>
#include <functional>

#include "sluice/protocol/json_text.hpp"

namespace sluice::sfn::jsonpath {

// A filter expression: a tree of comparisons joined by &&, || and !.
struct Filter {
    enum class Kind { Or, And, Not, Compare, Exists, Literal };
    Kind kind = Kind::Literal;
    std::string op;  // Compare: == != < <= > >=
    std::shared_ptr<const Filter> left, right;
    // Operands: a path relative to the element (`@...`) or the root (`$...`), or a literal.
    std::optional<Path> path;
    bool from_root = false;
    Json literal;
};

namespace {

class Parser {
public:
    explicit Parser(std::string_view text) : s_(text) {}

    [[noreturn]] void fail(const std::string& why) const {
        throw PathError("Invalid JSONPath '" + std::string(s_) + "' at position " + std::to_string(pos_) + ": " + why);
    }
    bool done() const { return pos_ >= s_.size(); }
    char peek(std::size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
    bool eat(char c) {
        if (peek() != c) return false;
        ++pos_;
        return true;
    }
    void expect(char c) {
        if (!eat(c)) fail(std::string("expected '") + c + "'");
    }
    void skip_spaces() {
        while (!done() && std::isspace(static_cast<unsigned char>(peek()))) ++pos_;
    }

    // Segments after a '$' or '@' until the end, or (inside a filter) until an operator.
    std::vector<Segment> segments(bool in_filter, bool& definite) {
        std::vector<Segment> out;
        while (!done()) {
            if (peek() == '.') {
                ++pos_;
                Segment seg;
                if (eat('.')) {
                    seg.kind = Segment::Kind::DeepScan;
                    definite = false;
                    if (peek() == '[') {  // `..['name']`
                        auto inner = bracket(definite);
                        if (inner.kind != Segment::Kind::Field) fail("only a field name may follow '..['");
                        seg.field = inner.field;
                    } else if (!eat('*')) {
                        seg.field = name(in_filter);
                    }
                } else if (eat('*')) {
                    seg.kind = Segment::Kind::Wildcard;
                    definite = false;
                } else {
                    seg.field = name(in_filter);
                }
                out.push_back(std::move(seg));
            } else if (peek() == '[') {
                out.push_back(bracket(definite));
            } else {
                if (in_filter) break;
                fail(std::string("unexpected character '") + peek() + "'");
            }
        }
        return out;
    }

    std::string name(bool in_filter) {
        std::size_t start = pos_;
        while (!done() && peek() != '.' && peek() != '[') {
            if (peek() == ']') fail("unexpected ']'");
            if (in_filter && (std::isspace(static_cast<unsigned char>(peek())) ||
                              std::string_view("=!<>&|)").find(peek()) != std::string_view::npos))
                break;
            ++pos_;
        }
        if (pos_ == start) fail("expected a field name");
        return std::string(s_.substr(start, pos_ - start));
    }

    std::string quoted() {
        const char quote = peek();
        ++pos_;
        std::string out;
        while (!done() && peek() != quote) {
            if (peek() == '\\' && pos_ + 1 < s_.size()) ++pos_;
            out += s_[pos_++];
        }
        if (!eat(quote)) fail("unterminated string");
        return out;
    }

    long long integer() {
        std::size_t start = pos_;
        if (peek() == '-') ++pos_;
        while (std::isdigit(static_cast<unsigned char>(peek()))) ++pos_;
        long long v = 0;
        auto text = s_.substr(start, pos_ - start);
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (text.empty() || ec != std::errc() || p != text.data() + text.size()) fail("expected an integer");
        return v;
    }

    Segment bracket(bool& definite) {
        expect('[');
        skip_spaces();
        Segment seg;
        if (eat('*')) {
            seg.kind = Segment::Kind::Wildcard;
            definite = false;
        } else if (peek() == '?') {
            ++pos_;
            expect('(');
            seg.kind = Segment::Kind::Filter;
            seg.filter = or_expr();
            skip_spaces();
            expect(')');
            definite = false;
        } else if (peek() == '\'' || peek() == '"') {
            std::vector<Json> names{quoted()};
            skip_spaces();
            while (eat(',')) {
                skip_spaces();
                if (peek() != '\'' && peek() != '"') fail("expected a quoted field name");
                names.emplace_back(quoted());
                skip_spaces();
            }
            if (names.size() == 1) {
                seg.field = names[0].get<std::string>();
            } else {
                seg.kind = Segment::Kind::Union;
                seg.members = std::move(names);
                definite = false;
            }
        } else {
            std::optional<long long> first;
            if (peek() != ':') first = integer();
            skip_spaces();
            if (eat(':')) {
                seg.kind = Segment::Kind::Slice;
                seg.start = first;
                skip_spaces();
                if (peek() != ']' && peek() != ':') seg.end = integer();
                if (eat(':')) {
                    seg.step = integer();
                    if (seg.step <= 0) fail("a slice step must be positive");
                }
                definite = false;
            } else if (peek() == ',') {
                seg.kind = Segment::Kind::Union;
                seg.members.emplace_back(*first);
                while (eat(',')) {
                    skip_spaces();
                    seg.members.emplace_back(integer());
                    skip_spaces();
                }
                definite = false;
            } else {
                if (!first) fail("expected an index");
                seg.kind = Segment::Kind::Index;
                seg.index = *first;
            }
        }
        skip_spaces();
        expect(']');
        return seg;
    }

    // Filter grammar: or := and ('||' and)*; and := unary ('&&' unary)*;
    // unary := '!' unary | '(' or ')' | operand (op operand)?
    std::shared_ptr<const Filter> or_expr() { return chain("||", Filter::Kind::Or, &Parser::and_expr); }
    std::shared_ptr<const Filter> and_expr() { return chain("&&", Filter::Kind::And, &Parser::unary); }

    // term (op term)*, folded to the left.
    std::shared_ptr<const Filter> chain(std::string_view op, Filter::Kind kind,
                                        std::shared_ptr<const Filter> (Parser::*term)()) {
        auto left = (this->*term)();
        skip_spaces();
        while (s_.substr(pos_, op.size()) == op) {
            pos_ += op.size();
            auto f = std::make_shared<Filter>();
            f->kind = kind;
            f->left = left;
            f->right = (this->*term)();
            left = f;
            skip_spaces();
        }
        return left;
    }

    std::shared_ptr<const Filter> unary() {
        // Definitions may be 1 MB: bound the recursion a path like `$[?((((...` can cause.
        struct Depth {
            int& d;
            explicit Depth(int& depth) : d(++depth) {}
            ~Depth() { --d; }
        } depth(depth_);
        if (depth_ > kMaxNesting) fail("filter nested too deeply");
        skip_spaces();
        if (peek() == '!' && peek(1) != '=') {
            ++pos_;
            auto f = std::make_shared<Filter>();
            f->kind = Filter::Kind::Not;
            f->left = unary();
            return f;
        }
        if (eat('(')) {
            auto inner = or_expr();
            skip_spaces();
            expect(')');
            return inner;
        }
        auto left = operand();
        skip_spaces();
        static const char* ops[] = {"==", "!=", "<=", ">=", "<", ">"};
        for (const char* op : ops) {
            if (s_.substr(pos_).rfind(op, 0) == 0) {
                pos_ += std::char_traits<char>::length(op);
                auto f = std::make_shared<Filter>();
                f->kind = Filter::Kind::Compare;
                f->op = op;
                f->left = left;
                f->right = operand();
                return f;
            }
        }
        if (left->kind != Filter::Kind::Exists) fail("a literal alone is not a condition");
        return left;
    }

    std::shared_ptr<const Filter> operand() {
        skip_spaces();
        auto f = std::make_shared<Filter>();
        if (peek() == '@' || peek() == '$') {
            f->kind = Filter::Kind::Exists;
            f->from_root = peek() == '$';
            std::size_t start = pos_;
            ++pos_;
            bool definite = true;
            auto segs = segments(/*in_filter=*/true, definite);
            if (!definite) fail("a path in a filter must be definite");
            f->path = Path::parse(std::string("$") + std::string(s_.substr(start + 1, pos_ - start - 1)));
            return f;
        }
        f->kind = Filter::Kind::Literal;
        if (peek() == '\'' || peek() == '"') {
            f->literal = quoted();
        } else if (std::isdigit(static_cast<unsigned char>(peek())) || peek() == '-') {
            std::size_t start = pos_;
            ++pos_;
            while (std::isdigit(static_cast<unsigned char>(peek())) || peek() == '.' || peek() == 'e' ||
                   peek() == 'E' || ((peek() == '-' || peek() == '+') && (s_[pos_ - 1] == 'e' || s_[pos_ - 1] == 'E')))
                ++pos_;
            auto n = protocol::read_user_json(s_.substr(start, pos_ - start));
            if (!n || !n->is_number()) fail("bad number");
            f->literal = std::move(*n);
        } else if (s_.substr(pos_).rfind("true", 0) == 0) {
            pos_ += 4;
            f->literal = true;
        } else if (s_.substr(pos_).rfind("false", 0) == 0) {
            pos_ += 5;
            f->literal = false;
        } else if (s_.substr(pos_).rfind("null", 0) == 0) {
            pos_ += 4;
            f->literal = nullptr;
        } else {
            fail("expected a path, a string, a number, true, false or null");
        }
        return f;
    }

private:
    static constexpr int kMaxNesting = 64;
    std::string_view s_;
    std::size_t pos_ = 1;  // after the leading '$'
    int depth_ = 0;
};

using Nodes = std::vector<const Json*>;

void deep_scan(const Json& node, const std::string& field, Nodes& out) {
    if (node.is_object()) {
        if (field.empty()) {
            for (const auto& [k, v] : node.items()) out.push_back(&v);
        } else if (auto it = node.find(field); it != node.end()) {
            out.push_back(&*it);
        }
        for (const auto& [k, v] : node.items()) deep_scan(v, field, out);
    } else if (node.is_array()) {
        if (field.empty())
            for (const auto& v : node) out.push_back(&v);
        for (const auto& v : node) deep_scan(v, field, out);
    }
}

const Json* at_index(const Json& node, long long i) {
    if (!node.is_array()) return nullptr;
    const auto size = static_cast<long long>(node.size());
    if (i < 0) i += size;
    return i >= 0 && i < size ? &node[static_cast<std::size_t>(i)] : nullptr;
}

bool test(const Filter& f, const Json& element, const Json& root);

std::optional<Json> operand_value(const Filter& f, const Json& element, const Json& root) {
    if (f.kind == Filter::Kind::Literal) return f.literal;
    return select(*f.path, f.from_root ? root : element);
}

bool compare(const std::string& op, const std::optional<Json>& a, const std::optional<Json>& b) {
    if (!a || !b) return op == "!=" && (a.has_value() != b.has_value());
    if (op == "==") return *a == *b;
    if (op == "!=") return *a != *b;
    // Ordering only between two numbers or two strings.
    if (a->is_number() && b->is_number()) {
        double x = a->get<double>(), y = b->get<double>();
        return op == "<" ? x < y : op == "<=" ? x <= y : op == ">" ? x > y : x >= y;
    }
    if (a->is_string() && b->is_string()) {
        const auto& x = a->get_ref<const std::string&>();
        const auto& y = b->get_ref<const std::string&>();
        return op == "<" ? x < y : op == "<=" ? x <= y : op == ">" ? x > y : x >= y;
    }
    return false;
}

bool test(const Filter& f, const Json& element, const Json& root) {
    switch (f.kind) {
        case Filter::Kind::Or:
            return test(*f.left, element, root) || test(*f.right, element, root);
        case Filter::Kind::And:
            return test(*f.left, element, root) && test(*f.right, element, root);
        case Filter::Kind::Not:
            return !test(*f.left, element, root);
        case Filter::Kind::Exists:
            return operand_value(f, element, root).has_value();
        case Filter::Kind::Compare:
            return compare(f.op, operand_value(*f.left, element, root), operand_value(*f.right, element, root));
        case Filter::Kind::Literal:
            return false;
    }
    return false;
}

void apply(const Segment& seg, const Json& node, const Json& root, Nodes& out) {
    switch (seg.kind) {
        case Segment::Kind::Field:
            if (node.is_object())
                if (auto it = node.find(seg.field); it != node.end()) out.push_back(&*it);
            return;
        case Segment::Kind::Index:
            if (auto* v = at_index(node, seg.index)) out.push_back(v);
            return;
        case Segment::Kind::Wildcard:
            if (node.is_object())
                for (const auto& [k, v] : node.items()) out.push_back(&v);
            else if (node.is_array())
                for (const auto& v : node) out.push_back(&v);
            return;
        case Segment::Kind::Slice: {
            if (!node.is_array()) return;
            const auto size = static_cast<long long>(node.size());
            auto clamp = [size](long long i) { return i < 0 ? std::max(0LL, i + size) : std::min(i, size); };
            const long long from = seg.start ? clamp(*seg.start) : 0;
            const long long to = seg.end ? clamp(*seg.end) : size;
            for (long long i = from; i < to; i += seg.step) out.push_back(&node[static_cast<std::size_t>(i)]);
            return;
        }
        case Segment::Kind::Union:
            for (const auto& m : seg.members) {
                if (m.is_string()) {
                    if (node.is_object())
                        if (auto it = node.find(m.get<std::string>()); it != node.end()) out.push_back(&*it);
                } else if (auto* v = at_index(node, m.get<long long>())) {
                    out.push_back(v);
                }
            }
            return;
        case Segment::Kind::DeepScan:
            deep_scan(node, seg.field, out);
            return;
        case Segment::Kind::Filter:
            if (node.is_array()) {
                for (const auto& v : node)
                    if (test(*seg.filter, v, root)) out.push_back(&v);
            } else if (node.is_object() && test(*seg.filter, node, root)) {
                out.push_back(&node);
            }
            return;
    }
}

}  // namespace

Path Path::parse(std::string_view text) {
    if (text.empty() || text.front() != '$')
        throw PathError("Invalid JSONPath '" + std::string(text) + "': must start with '$'");
    Path path;
    path.text_ = std::string(text);
    Parser parser(text);
    path.segments_ = parser.segments(/*in_filter=*/false, path.definite_);
    return path;
}

bool Path::is_reference() const {
    for (const auto& s : segments_)
        if (s.kind != Segment::Kind::Field && !(s.kind == Segment::Kind::Index && s.index >= 0)) return false;
    return true;
}

std::optional<Json> select(const Path& path, const Json& doc) {
    Nodes current{&doc};
    for (const auto& seg : path.segments()) {
        Nodes next;
        for (const Json* node : current) apply(seg, *node, doc, next);
        current = std::move(next);
    }
    if (path.definite()) {
        if (current.empty()) return std::nullopt;
        return *current.front();
    }
    Json out = Json::array();
    for (const Json* node : current) out.push_back(*node);
    return out;
}

bool assign(Json& doc, const Path& path, Json value) {
    if (!path.is_reference()) return false;
    Json* cur = &doc;
    for (const auto& seg : path.segments()) {
        if (seg.kind == Segment::Kind::Field) {
            if (cur->is_null()) *cur = Json::object();
            if (!cur->is_object()) return false;
            cur = &(*cur)[seg.field];
        } else {
            if (!cur->is_array() || seg.index >= static_cast<long long>(cur->size())) return false;
            cur = &(*cur)[static_cast<std::size_t>(seg.index)];
        }
    }
    *cur = std::move(value);
    return true;
}

}  // namespace sluice::sfn::jsonpath
