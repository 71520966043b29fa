// ReceiveMessage, and long polling: a receive that finds nothing parks as a Waiter with a
// deadline on the scheduler (its wait's end, or the next delayed or in-flight message becoming
// visible, whichever is first), and any send to its queue lets it try again. No thread waits.
#include "params.hpp"
#include "sluice/core/encoding.hpp"
#include "sluice/protocol/internal_operations.hpp"
#include "sluice/sqs/errors.hpp"
#include "sluice/sqs/sqs_service.hpp"

namespace sluice::sqs {

struct SqsService::ReceiveSpec {
    ReceiveOptions options;
    int wait_seconds = 0;
    std::vector<std::string> system_names;
    std::vector<std::string> attribute_filters;
    std::string owner;  // internal::kReceiveOwner, from in-process callers
};

struct SqsService::Waiter {
    std::uint64_t queue_uid = 0;
    std::weak_ptr<Queue> queue;
    ReceiveSpec spec;
    protocol::Reply reply;
    TimePoint deadline;
    std::optional<core::Scheduler::TimerId> timer;
    bool done = false;
};

namespace {

bool contains(const std::vector<std::string>& names, const std::string& n) {
    return std::find(names.begin(), names.end(), n) != names.end();
}

// MessageAttributeNames: All, .* and * take every attribute, "prefix.*" a family, else exact names.
bool attribute_wanted(const std::vector<std::string>& filters, const std::string& name) {
    for (const auto& f : filters) {
        if (f == "All" || f == ".*" || f == "*" || f == name) return true;
        if (f.size() > 2 && f.compare(f.size() - 2, 2, ".*") == 0 &&
            name.compare(0, f.size() - 2, f, 0, f.size() - 2) == 0)
            return true;
    }
    return false;
}

}  // namespace

SqsService::ReceiveSpec SqsService::parse_receive(const Call& call, Queue& queue) const {
    const auto& p = call.params;
    ReceiveSpec spec;
    if (auto max = params::integer(p, "MaxNumberOfMessages")) {
        if (*max < 1 || *max > 10)
            throw invalid_parameter_value("Value " + std::to_string(*max) +
                                          " for parameter MaxNumberOfMessages is invalid. "
                                          "Reason: Must be between 1 and 10, if provided.");
        spec.options.max_messages = static_cast<int>(*max);
    }
    spec.wait_seconds = queue.config().receive_message_wait_time_seconds;
    if (auto wait = params::integer(p, "WaitTimeSeconds")) {
        if (*wait < 0 || *wait > 20)
            throw invalid_parameter_value("Value " + std::to_string(*wait) +
                                          " for parameter WaitTimeSeconds is invalid. "
                                          "Reason: Must be >= 0 and <= 20, if provided.");
        spec.wait_seconds = static_cast<int>(*wait);
    }
    if (auto visibility = params::integer(p, "VisibilityTimeout")) {
        if (*visibility < 0 || *visibility > 43'200)
            throw invalid_parameter_value("Value " + std::to_string(*visibility) +
                                          " for parameter VisibilityTimeout is "
                                          "invalid. Reason: Must be >= 0 and <= 43200, if provided.");
        spec.options.visibility_timeout = static_cast<int>(*visibility);
    }
    // The newer MessageSystemAttributeNames wins over the deprecated AttributeNames.
    spec.system_names = params::str_list(p, "MessageSystemAttributeNames");
    if (spec.system_names.empty()) spec.system_names = params::str_list(p, "AttributeNames");
    spec.attribute_filters = params::str_list(p, "MessageAttributeNames");
    spec.owner = params::str(p, protocol::internal::kReceiveOwner).value_or("");
    if (queue.fifo()) spec.options.attempt_id = params::str(p, "ReceiveRequestAttemptId").value_or("");
    return spec;
}

Json SqsService::message_json(const Queue& queue, const Message& m, const ReceiveSpec& spec) const {
    // Built member by member: an initializer list would copy the body twice.
    Json j(Json::value_t::object);
    auto& members = *j.get_ptr<Json::object_t*>();
    members.emplace("MessageId", core::to_string(m.id));
    members.emplace("ReceiptHandle", queue.handle_of(m).encode());
    members.emplace("MD5OfBody", core::to_hex(m.body_md5));
    members.emplace("Body", m.body);
    const bool all = contains(spec.system_names, "All");
    auto wanted = [&](const char* n) { return all || contains(spec.system_names, n); };
    Json attributes = Json::object();
    if (wanted("SenderId")) attributes["SenderId"] = sender_name(m.sender);
    if (wanted("SentTimestamp")) attributes["SentTimestamp"] = std::to_string(core::epoch_millis(m.sent));
    if (wanted("ApproximateReceiveCount")) attributes["ApproximateReceiveCount"] = std::to_string(m.receive_count);
    if (wanted("ApproximateFirstReceiveTimestamp"))
        attributes["ApproximateFirstReceiveTimestamp"] = std::to_string(core::epoch_millis(m.first_received));
    if (m.extras) {
        const auto& x = *m.extras;
        if (auto t = x.system_attributes.find("AWSTraceHeader");
            t != x.system_attributes.end() && wanted("AWSTraceHeader"))
            attributes["AWSTraceHeader"] = t->second.value;
        if (!x.group_id.empty() && wanted("MessageGroupId")) attributes["MessageGroupId"] = x.group_id;
        if (queue.fifo() && wanted("MessageDeduplicationId")) attributes["MessageDeduplicationId"] = x.deduplication_id;
        if (queue.fifo() && wanted("SequenceNumber")) attributes["SequenceNumber"] = std::to_string(x.sequence_number);
        if (!x.dead_letter_source_arn.empty() && wanted("DeadLetterQueueSourceArn"))
            attributes["DeadLetterQueueSourceArn"] = x.dead_letter_source_arn;
    }
    if (!attributes.empty()) j["Attributes"] = std::move(attributes);

    if (m.extras && !m.extras->attributes.empty() && !spec.attribute_filters.empty()) {
        MessageAttributes returned;
        for (const auto& [name, value] : m.extras->attributes)
            if (attribute_wanted(spec.attribute_filters, name)) returned.emplace(name, value);
        if (!returned.empty()) {
            Json out = Json::object();
            for (const auto& [name, value] : returned) {
                Json v = {{"DataType", value.data_type}};
                if (value.is_binary())
                    v["BinaryValue"] = core::base64_encode(value.value);
                else
                    v["StringValue"] = value.value;
                out[name] = std::move(v);
            }
            j["MessageAttributes"] = std::move(out);
            // The digest covers only the attributes handed back (what the SDKs check).
            j["MD5OfMessageAttributes"] = core::to_hex(md5_of_attributes(returned));
        }
    }
    return j;
}

std::optional<Json> SqsService::try_receive(Queue& queue, const ReceiveSpec& spec, bool final_attempt) {
    auto messages = queue.receive(spec.options, clock_.now(), dead_letter_sink(queue));
    if (messages.empty()) {
        if (final_attempt) return Json::object();
        return std::nullopt;
    }
    Json list = Json::array();
    for (const auto* m : messages) list.push_back(message_json(queue, *m, spec));
    return Json{{"Messages", std::move(list)}};
}

void SqsService::receive_message(const Call& call, protocol::Reply reply) {
    auto answered = lock_.run([&] {
        auto queue = queue_for(call);
        auto spec = parse_receive(call, *queue);
        auto found = try_receive(*queue, spec, spec.wait_seconds == 0 || stopping_);
        if (!found) {
            auto waiter = std::make_shared<Waiter>();
            waiter->queue_uid = queue->uid();
            waiter->queue = queue;
            waiter->deadline = clock_.now() + clock_.scaled(std::chrono::seconds(spec.wait_seconds));
            waiter->spec = std::move(spec);
            waiter->reply = std::move(reply);
            waiters_[waiter->queue_uid].push_back(waiter);
            arm(waiter);
        }
        return found;
    });
    if (answered) reply(std::move(*answered));
}

void SqsService::arm(const std::shared_ptr<Waiter>& waiter) {
    auto queue = waiter->queue.lock();
    auto at = waiter->deadline;
    if (queue)
        if (auto next = queue->next_change(); next && *next < at) at = *next;
    if (waiter->timer) scheduler_.cancel(*waiter->timer);
    // The task holds no strong reference: the service owns its waiters, and a deadline that
    // comes after the service or the waiter is gone does nothing.
    waiter->timer = scheduler_.at(at, [self = weak_from_this(), weak = std::weak_ptr<Waiter>(waiter)] {
        auto service = self.lock();
        auto w = weak.lock();
        if (service && w) service->on_timer(w);
    });
}

void SqsService::on_timer(const std::shared_ptr<Waiter>& waiter) {
    lock_.run([&] {
        if (waiter->done) return;
        waiter->timer.reset();
        auto queue = waiter->queue.lock();
        const bool final_attempt = !queue || stopping_ || clock_.now() >= waiter->deadline;
        std::optional<Json> found = queue ? try_receive(*queue, waiter->spec, final_attempt) : Json::object();
        if (found) {
            waiters_[waiter->queue_uid].remove(waiter);
            if (waiters_[waiter->queue_uid].empty()) waiters_.erase(waiter->queue_uid);
            answer(waiter, std::move(*found));
        } else {
            arm(waiter);
        }
    });
}

void SqsService::answer(const std::shared_ptr<Waiter>& waiter, Json result) {
    waiter->done = true;
    if (waiter->timer) scheduler_.cancel(*std::exchange(waiter->timer, std::nullopt));
    lock_.defer([reply = std::move(waiter->reply), result = std::move(result)]() mutable { reply(std::move(result)); });
}

void SqsService::wake(const Queue& queue) {
    auto it = waiters_.find(queue.uid());
    if (it == waiters_.end()) return;
    auto& list = it->second;
    for (auto w = list.begin(); w != list.end();) {
        auto waiter = *w;
        auto q = waiter->queue.lock();
        auto found = q ? try_receive(*q, waiter->spec, false) : std::optional<Json>(Json::object());
        if (found) {
            answer(waiter, std::move(*found));
            w = list.erase(w);
        } else {
            arm(waiter);  // a delayed message may have moved the next wake-up earlier
            ++w;
        }
    }
    if (list.empty()) waiters_.erase(it);
}

void SqsService::release_waiters(std::uint64_t queue_uid) {
    auto it = waiters_.find(queue_uid);
    if (it == waiters_.end()) return;
    for (auto& waiter : it->second) answer(waiter, Json::object());
    waiters_.erase(it);
}

Json SqsService::release_owned(const Call& call) {
    const auto owner = params::str(call.params, "Owner").value_or("");
    if (owner.empty()) return Json::object();
    for (auto it = waiters_.begin(); it != waiters_.end();) {
        auto& list = it->second;
        for (auto w = list.begin(); w != list.end();) {
            if ((*w)->spec.owner != owner) {
                ++w;
                continue;
            }
            answer(*w, Json::object());
            w = list.erase(w);
        }
        it = list.empty() ? waiters_.erase(it) : std::next(it);
    }
    return Json::object();
}

void SqsService::wake_deferred() {
    // Waking can move more messages to dead-letter queues; the bound keeps a redrive cycle
    // (A -> B -> A) from spinning.
    for (int round = 0; round < 100 && !deferred_wakes_.empty(); ++round) {
        auto queues = std::exchange(deferred_wakes_, {});
        for (const auto& q : queues) wake(*q);
    }
    deferred_wakes_.clear();
}

}  // namespace sluice::sqs
