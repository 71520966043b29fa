#include "sluice/protocol/local_client.hpp"

#include "sluice/core/ids.hpp"
#include "sluice/protocol/json_rpc.hpp"

namespace sluice::protocol {

void LocalClient::add(Service& service) {
    services_.insert_or_assign(std::string(service.name()), &service);
}

void LocalClient::set_host(std::string host) {
    std::lock_guard lock(host_mutex_);
    host_ = std::move(host);
}

std::string LocalClient::host() const {
    std::lock_guard lock(host_mutex_);
    return host_;
}

const Model* LocalClient::model(std::string_view service) const {
    auto it = services_.find(service);
    return it == services_.end() ? nullptr : &it->second->model();
}

void LocalClient::call(std::string_view service, std::string operation, Json params, const core::Scope& scope,
                       Reply reply) {
    auto it = services_.find(service);
    if (it == services_.end()) {
        scheduler_.post([reply = std::move(reply), name = std::string(service)] {
            reply(common_errors::internal_failure("Sluice does not run the " + name + " service."));
        });
        return;
    }
    Call call;
    call.service = it->first;
    call.operation = std::move(operation);
    call.params = std::move(params);
    call.context.scope = scope;
    call.context.host = host();
    call.context.request_id = core::random_uuid_string();
    scheduler_.post([peer = it->second, call = std::move(call), reply = std::move(reply)]() mutable {
        // The type checks the JSON front end makes over HTTP; invoke() does the rest.
        if (const auto* op = peer->model().operation(call.operation); op && op->input) {
            try {
                json_rpc::check_types(call.params, *op->input);
            } catch (const AwsError& e) {
                return reply(e);
            }
        }
        peer->invoke(std::move(call), std::move(reply));
    });
}

}  // namespace sluice::protocol
