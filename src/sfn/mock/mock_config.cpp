// Reading the mock configuration file: every problem is refused at load with its place in the
// file, so a typo never turns into a state that silently calls the real service.
#include "sluice/sfn/mock_config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "sluice/protocol/json_text.hpp"

namespace sluice::sfn {

namespace {

using Json = nlohmann::json;

// "$.a.b" for plain names, "$.a['x y']" otherwise, as JSONPath writes members.
std::string member(const std::string& path, const std::string& name) {
    const bool plain = !name.empty() && !std::isdigit(static_cast<unsigned char>(name.front())) &&
                       std::all_of(name.begin(), name.end(),
                                   [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
    if (plain) return path + "." + name;
    std::string quoted;
    for (char c : name) {
        if (c == '\'' || c == '\\') quoted += '\\';
        quoted += c;
    }
    return path + "['" + quoted + "']";
}

[[noreturn]] void refuse(const std::string& path, const std::string& what) {
    throw MockConfigError("mock configuration: " + path + ": " + what);
}

const Json& object_at(const Json& parent, const char* name, const std::string& path) {
    auto it = parent.find(name);
    if (it == parent.end()) refuse(member(path, name), "missing (an object is required)");
    if (!it->is_object()) refuse(member(path, name), "must be an object");
    return *it;
}

std::optional<std::size_t> count_of(std::string_view text) {
    if (text.empty() || text.size() > 9 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    std::size_t n = 0;
    std::from_chars(text.data(), text.data() + text.size(), n);
    return n;
}

MockedAnswer answer_of(const Json& entry, const std::string& path) {
    if (!entry.is_object()) refuse(path, "must be an object with Return or Throw");
    const bool returns = entry.contains("Return"), throws = entry.contains("Throw");
    if (returns == throws) refuse(path, returns ? "has both Return and Throw; give one" : "needs Return or Throw");
    for (const auto& [key, _] : entry.items())
        if (key != "Return" && key != "Throw") refuse(member(path, key), "unknown field (Return or Throw)");
    MockedAnswer out;
    if (returns) {
        out.result = entry["Return"];
        return out;
    }
    const auto& thrown = entry["Throw"];
    const auto throw_path = member(path, "Throw");
    if (!thrown.is_object()) refuse(throw_path, "must be an object with Error and Cause");
    for (const auto& [key, value] : thrown.items()) {
        if (key != "Error" && key != "Cause") refuse(member(throw_path, key), "unknown field (Error or Cause)");
        if (!value.is_string()) refuse(member(throw_path, key), "must be a string");
    }
    if (!thrown.contains("Error")) refuse(member(throw_path, "Error"), "missing");
    out.error = thrown["Error"].get<std::string>();
    out.cause = thrown.value("Cause", "");
    return out;
}

}  // namespace

MockConfig MockConfig::parse(std::string_view text) {
    std::string why;
    auto doc = protocol::read_user_json(text, &why);
    if (!doc) refuse("$", "not JSON: " + why);
    if (!doc->is_object()) refuse("$", "must be an object with StateMachines and MockedResponses");
    MockConfig config;

    const std::string responses_path = "$.MockedResponses";
    for (const auto& [name, response] : object_at(*doc, "MockedResponses", "$").items()) {
        const auto path = member(responses_path, name);
        if (!response.is_object() || response.empty())
            refuse(path, "must be an object of invocation counts (\"0\", \"1-2\") to Return or Throw");
        std::vector<Entry> entries;
        for (const auto& [key, entry] : response.items()) {
            const auto entry_path = member(path, key);
            const auto dash = key.find('-');
            auto first = count_of(std::string_view(key).substr(0, dash));
            auto last = dash == std::string::npos ? first : count_of(std::string_view(key).substr(dash + 1));
            if (!first || !last || *last < *first)
                refuse(entry_path, "the key must be an invocation count (\"0\") or an inclusive range (\"1-3\")");
            entries.push_back({*first, *last, answer_of(entry, entry_path)});
        }
        std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.first < b.first; });
        for (std::size_t i = 1; i < entries.size(); ++i)
            if (entries[i].first <= entries[i - 1].last)
                refuse(path, "invocation " + std::to_string(entries[i].first) + " has two entries");
        config.responses_[name] = std::move(entries);
    }

    const std::string machines_path = "$.StateMachines";
    for (const auto& [machine, spec] : object_at(*doc, "StateMachines", "$").items()) {
        const auto path = member(machines_path, machine);
        if (!spec.is_object()) refuse(path, "must be an object with TestCases");
        for (const auto& [case_name, states] : object_at(spec, "TestCases", path).items()) {
            const auto case_path = member(member(path, "TestCases"), case_name);
            if (!states.is_object()) refuse(case_path, "must be an object of state names to response names");
            auto& mapped = config.cases_[machine][case_name];
            for (const auto& [state, response] : states.items()) {
                const auto state_path = member(case_path, state);
                if (!response.is_string()) refuse(state_path, "must be the name of a mocked response");
                const auto name = response.get<std::string>();
                if (!config.responses_.count(name))
                    refuse(state_path, "names the response '" + name + "', which MockedResponses does not have");
                mapped[state] = name;
            }
        }
    }
    return config;
}

bool MockConfig::has_test_case(const std::string& machine, const std::string& test_case) const {
    auto m = cases_.find(machine);
    return m != cases_.end() && m->second.count(test_case);
}

const MockedAnswer* MockConfig::answer(const std::string& machine, const std::string& test_case,
                                       const std::string& state, std::size_t invocation) const {
    auto m = cases_.find(machine);
    if (m == cases_.end()) return nullptr;
    auto c = m->second.find(test_case);
    if (c == m->second.end()) return nullptr;
    auto s = c->second.find(state);
    if (s == c->second.end()) return nullptr;
    const auto& entries = responses_.at(s->second);
    for (const auto& e : entries)
        if (invocation >= e.first && invocation <= e.last) return &e.answer;
    return nullptr;
}

}  // namespace sluice::sfn
