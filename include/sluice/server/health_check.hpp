#pragma once
// `sluice --health-check [URL]`: what a scratch image's HEALTHCHECK and a CI service's health
// command run, since such an image has no shell and no curl. Asks URL (an http:// address of
// /_sluice/health) and tells whether the daemon there is healthy.
#include <chrono>
#include <string>

namespace sluice::server {

struct HealthCheckResult {
    bool healthy = false;
    std::string detail;  // what was wrong, or the answer's status line
};

// Healthy: a 200 answer whose JSON body has "status": "ok", within `timeout`.
HealthCheckResult check_health(const std::string& url, std::chrono::milliseconds timeout);

}  // namespace sluice::server
