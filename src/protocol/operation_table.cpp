#include "sluice/protocol/operation_table.hpp"

#include <spdlog/spdlog.h>

namespace sluice::protocol::detail {

AwsError unknown_operation(const Model& model, const InvokeRules& rules, const std::string& operation) {
    // Over HTTP the codecs refuse what the model lacks, so only an in-process caller, or an
    // operation of the model that Sluice does not implement, gets here.
    if (rules.not_implemented && model.operation(operation)) return rules.not_implemented(operation);
    return common_errors::unknown_operation(operation);
}

void check_constraints(const Model& model, const InvokeRules& rules, const Call& call) {
    if (!rules.check_constraints) return;
    const auto* op = model.operation(call.operation);
    if (!op || !op->input) return;
    try {
        protocol::check_constraints(call.params, *op->input, model);
    } catch (AwsError& e) {
        if (rules.constraint_error_code) e.code = rules.constraint_error_code;
        throw;
    }
}

AwsError answer_for(std::exception_ptr thrown, const InvokeRules& rules, std::string_view service) {
    try {
        std::rethrow_exception(thrown);
    } catch (const AwsError& e) {
        return e;
    } catch (const nlohmann::json::exception& e) {
        if (rules.type_error) return rules.type_error(e.what());
        return common_errors::serialization(e.what());
    } catch (const std::exception& e) {
        // A bug in one handler answers 500 instead of taking the daemon down.
        spdlog::error("{}: internal error: {}", service, e.what());
    } catch (...) {
        spdlog::error("{}: internal error", service);
    }
    return common_errors::internal_failure("We encountered an internal error. Please try again.");
}

}  // namespace sluice::protocol::detail
