#pragma once
// What the server needs of a service: its model (so codecs can decode calls for it) and one
// entry point that takes a decoded Call and answers through a Reply, now or later (a long poll
// answers later). The server never sees what the service does.
#include <memory>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sluice/protocol/call.hpp"
#include "sluice/protocol/model.hpp"

namespace sluice::protocol {

class Service {
public:
    virtual ~Service() = default;
    // The model's service name ("sqs"), known without parsing the model: health checks and
    // requests signed for another service never load a model they do not use.
    virtual std::string_view name() const = 0;
    virtual const Model& model() const = 0;
    // Calls `reply` exactly once, on any thread, and never throws: every service gets this
    // from TableService (operation_table.hpp).
    virtual void invoke(Call call, Reply reply) = 0;
    // Answers every parked call (long polls) so the daemon can stop.
    virtual void shutdown() {}
    // Back to the state of a fresh start (POST /_sluice/reset): parked calls are answered,
    // running work stops, every resource is forgotten. Safe while requests are in flight.
    virtual void reset() {}
    // What /_sluice/ shows about this service's state.
    virtual Json introspect() const { return Json::object(); }
    // What /_sluice/<service>/<path> shows (a string is served as text); nullopt: not found.
    virtual std::optional<Json> introspect_path(std::string_view path) const { return std::nullopt; }
    // What this service adds to /_sluice/health (null: nothing).
    virtual Json health() const { return nullptr; }
};

}  // namespace sluice::protocol
