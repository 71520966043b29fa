#pragma once
// One way to build a service: its operations in one alphabetical table, and one invoke() that
// every service shares. Reading the table tells what a service supports; invoke() checks the
// model's constraints, runs the handler under the service's lock (or lets it take the lock
// itself), maps whatever the handler throws once, and answers every call exactly once.
#include <algorithm>
#include <atomic>
#include <functional>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/core/service_lock.hpp"
#include "sluice/protocol/constraints.hpp"
#include "sluice/protocol/service.hpp"

namespace sluice::protocol {

// How a service words what its handlers do not: each answer is the service's own, from its model.
struct InvokeRules {
    // Check the model's constraints (required members, lengths, ranges, enums) before the
    // handler. SQS checks its input by hand, in the words its legacy protocol uses.
    bool check_constraints = true;
    // The __type of a constraint violation, when not the model's ValidationException.
    const char* constraint_error_code = nullptr;
    // A member of the wrong type that reached a handler (an explicit null the codec let through).
    AwsError (*type_error)(const std::string& what) = nullptr;
    // An operation of the model that Sluice does not implement (default: UnknownOperation).
    AwsError (*not_implemented)(const std::string& operation) = nullptr;
};

template <typename S>
class OperationTable {
public:
    using Sync = Json (S::*)(const Call&);
    using Async = void (S::*)(const Call&, Reply);
    enum class Locking {
        Held,  // invoke() runs the handler inside the service's lock
        Own,   // the handler takes the lock itself, for as little as it needs
    };
    struct Operation {
        Operation(std::string_view name_, Sync handler, Locking locking_ = Locking::Held)
            : name(name_), sync(handler), locking(locking_) {}
        // An asynchronous operation answers later (a long poll); it takes the lock itself.
        Operation(std::string_view name_, Async handler) : name(name_), async(handler), locking(Locking::Own) {}
        std::string_view name;
        Sync sync = nullptr;
        Async async = nullptr;
        Locking locking;
    };

    OperationTable(std::initializer_list<Operation> operations) : operations_(operations) {
        // Binary search needs the order; the order is also what makes a table easy to read.
        if (!std::is_sorted(operations_.begin(), operations_.end(),
                            [](const Operation& a, const Operation& b) { return a.name < b.name; }))
            throw std::logic_error("an operation table is not in alphabetical order");
    }

    const Operation* find(std::string_view name) const {
        auto it = std::lower_bound(operations_.begin(), operations_.end(), name,
                                   [](const Operation& op, std::string_view n) { return op.name < n; });
        return it != operations_.end() && it->name == name ? &*it : nullptr;
    }

private:
    std::vector<Operation> operations_;
};

namespace detail {

// An asynchronous handler may throw after it handed its reply on (or answered): the second
// answer is dropped, so a caller hears exactly once.
inline Reply once(Reply reply) {
    auto answered = std::make_shared<std::atomic<bool>>(false);
    return [answered, reply = std::move(reply)](Outcome outcome) {
        if (!answered->exchange(true)) reply(std::move(outcome));
    };
}

AwsError unknown_operation(const Model& model, const InvokeRules& rules, const std::string& operation);
void check_constraints(const Model& model, const InvokeRules& rules, const Call& call);
// What a handler threw, as the answer the caller gets.
AwsError answer_for(std::exception_ptr thrown, const InvokeRules& rules, std::string_view service);

}  // namespace detail

// A service whose operations come from a table: S provides
//   static const OperationTable<S>& operations();
//   static const InvokeRules& invoke_rules();
// and its model; invoke() is the same for all.
template <typename S>
class TableService : public Service {
public:
    void invoke(Call call, Reply reply) final {
        const auto* op = S::operations().find(call.operation);
        const auto& rules = S::invoke_rules();
        if (!op) return reply(detail::unknown_operation(model(), rules, call.operation));
        S& self = static_cast<S&>(*this);
        if (op->async) {
            Reply answer = detail::once(std::move(reply));
            try {
                detail::check_constraints(model(), rules, call);
                (self.*(op->async))(call, answer);
            } catch (...) {
                answer(detail::answer_for(std::current_exception(), rules, name()));
            }
            return;
        }
        Outcome outcome;
        try {
            detail::check_constraints(model(), rules, call);
            if (op->locking == OperationTable<S>::Locking::Held)
                outcome = lock_.run([&] { return (self.*(op->sync))(call); });
            else
                outcome = (self.*(op->sync))(call);
        } catch (...) {
            outcome = detail::answer_for(std::current_exception(), rules, name());
        }
        reply(std::move(outcome));
    }

protected:
    // The service's state is changed only inside lock_.run(); what must happen after (replies,
    // calls to other services) is deferred with lock_.defer().
    mutable core::ServiceLock lock_;
};

}  // namespace sluice::protocol
