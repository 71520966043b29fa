// libFuzzer target: what a browser controls of a request to Sluice's own routes and the access
// policy (Origin, Host, Sec-Fetch-Site, CORS preflights, /_sluice/ paths with percent-escapes,
// /_sluice/call bodies). The input is lines: method, target, Host, Origin, Sec-Fetch-Site,
// Access-Control-Request-Method, then the body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "../unit/daemon_harness.hpp"

namespace {
struct World : sluice::testing::DaemonHarness {
    sluice::server::Router& router = daemon.router();
};

std::string_view next_line(std::string_view& rest) {
    const auto nl = rest.find('\n');
    const auto line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    return line;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World world;
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    sluice::protocol::HttpRequest r;
    r.method = next_line(rest);
    r.target = next_line(rest);
    if (r.target.empty() || r.target.front() != '/') r.target.insert(0, "/");
    const char* names[] = {"Host", "Origin", "Sec-Fetch-Site", "Access-Control-Request-Method"};
    for (const char* name : names)
        if (auto value = next_line(rest); !value.empty()) r.headers.emplace_back(name, std::string(value));
    r.body = rest;
    world.router.handle(std::move(r), [](sluice::protocol::HttpResponse) {});
    world.clock.advance(sluice::core::Millis(1000));
    world.scheduler.run_ready();  // parked watches look, and answer
    return 0;
}
