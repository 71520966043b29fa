#include "sluice/sqs/queue.hpp"

#include <algorithm>
#include <chrono>

#include "sluice/sqs/errors.hpp"

namespace sluice::sqs {

namespace {
constexpr Millis kDedupWindow = std::chrono::minutes(5);
constexpr Millis kPurgeWindow = std::chrono::seconds(60);
constexpr Millis kMaxVisibility = std::chrono::hours(12);
}  // namespace

Queue::Queue(std::string name, core::Scope scope, QueueConfig config, TimePoint now, std::uint64_t uid,
             double time_scale)
    : name_(std::move(name)),
      scope_(std::move(scope)),
      arn_("arn:aws:sqs:" + scope_.region + ":" + scope_.account + ":" + name_),
      config_(std::move(config)),
      created_(now),
      last_modified_(now),
      uid_(uid),
      time_scale_(time_scale),
      per_group_dedup_(config_.deduplication_scope == "messageGroup") {}

void Queue::set_config(QueueConfig config, TimePoint now) {
    config_ = std::move(config);
    last_modified_ = now;
}

bool Queue::expired(const Message& m, TimePoint now) const {
    return now >= m.sent + seconds(config_.message_retention_period);
}

void Queue::enqueue_group(const std::string& group_id) {
    auto& g = groups_[group_id];
    if (!g.queued) {
        g.queued = true;
        ready_groups_.push_back(group_id);
    }
}

std::uint64_t Queue::insert(Message&& m, TimePoint now, int delay_seconds) {
    const auto serial = next_serial_++;
    m.serial = serial;
    if (delay_seconds > 0) {
        m.state = Message::State::Delayed;
        m.visible_at = now + seconds(delay_seconds);
        ++delayed_;
        schedule(m.visible_at, serial);
    } else {
        m.state = Message::State::Visible;
        m.visible_at = now;
        ++visible_;
    }
    const bool visible = m.state == Message::State::Visible;
    std::string group = fifo() ? m.group_id() : std::string();
    messages_.emplace(serial, std::move(m));
    if (fifo()) {
        auto& g = groups_[group];
        g.messages.push_back(serial);
        // Behind a message in flight, a new message waits for it (see receive).
        if (visible && g.in_flight == 0) enqueue_group(group);
    } else if (visible) {
        ready_.push_back(serial);
    }
    return serial;
}

void Queue::forget_expired_dedup(TimePoint now) {
    while (!dedup_order_.empty() && dedup_order_.front().first <= now) {
        auto it = dedup_.find(dedup_order_.front().second);
        if (it != dedup_.end() && it->second.expires <= now) dedup_.erase(it);
        dedup_order_.pop_front();
    }
}

MessageDigests digest(const SendRequest& request) {
    MessageDigests d;
    d.body = core::md5(request.body);
    if (!request.attributes.empty()) d.attributes = md5_of_attributes(request.attributes);
    if (!request.system_attributes.empty()) d.system_attributes = md5_of_attributes(request.system_attributes);
    return d;
}

SendResult Queue::send(SendRequest request, TimePoint now) {
    SendResult result;
    const MessageDigests digests = request.digests ? *request.digests : digest(request);
    result.body_md5 = digests.body;
    result.attributes_md5 = digests.attributes;
    result.system_attributes_md5 = digests.system_attributes;

    std::string dedup_key;
    if (fifo()) {
        forget_expired_dedup(now);
        dedup_key = per_group_dedup_ ? request.group_id + '\n' + request.deduplication_id : request.deduplication_id;
        if (auto it = dedup_.find(dedup_key); it != dedup_.end()) {
            // A duplicate is accepted and answered like the original, but not enqueued again.
            result.id = it->second.id;
            result.sequence_number = it->second.sequence_number;
            return result;
        }
    }

    Message m;
    m.id = core::random_uuid();
    m.body_md5 = result.body_md5;
    m.body = std::move(request.body);
    m.sent = now;
    m.sender = request.sender;
    if (!request.attributes.empty() || !request.system_attributes.empty() || !request.group_id.empty() ||
        !request.deduplication_id.empty()) {
        auto& x = m.ensure_extras();
        x.attributes = std::move(request.attributes);
        x.system_attributes = std::move(request.system_attributes);
        x.group_id = std::move(request.group_id);
        x.deduplication_id = std::move(request.deduplication_id);
    }
    result.id = m.id;
    int delay = config_.delay_seconds;
    if (fifo()) {
        result.sequence_number = m.ensure_extras().sequence_number = next_sequence(now);
        dedup_.emplace(dedup_key, DedupEntry{now + span(kDedupWindow), m.id, result.sequence_number});
        dedup_order_.emplace_back(now + span(kDedupWindow), dedup_key);
    } else if (request.delay_seconds) {
        delay = *request.delay_seconds;
    }
    insert(std::move(m), now, delay);
    return result;
}

std::uint64_t Queue::next_sequence(TimePoint now) {
    // "The large, non-consecutive number that Amazon SQS assigns to each message ... continues to
    // increase" (SendMessage API reference): 20 digits that grow with the clock (100,000 a
    // millisecond, so they fit 64 bits until 2111) and by a gap of 16 at least from one message
    // to the next.
    constexpr std::uint64_t base = 18'000'000'000'000'000'000ULL;
    constexpr std::uint64_t per_milli = 100'000, gap = 16;
    const auto millis = static_cast<std::uint64_t>(std::max<long long>(0, core::epoch_millis(now)));
    last_sequence_ = std::max(base + millis * per_milli, last_sequence_ + gap);
    return last_sequence_;
}

void Queue::make_visible(Message& m) {
    if (m.state == Message::State::InFlight) {
        --in_flight_;
        if (fifo()) --groups_[m.group_id()].in_flight;
    } else if (m.state == Message::State::Delayed) {
        --delayed_;
    } else {
        return;
    }
    m.state = Message::State::Visible;
    ++visible_;
    if (fifo())
        enqueue_group(m.group_id());
    else
        returned_.push(m.serial);
}

std::uint64_t Queue::next_ready() {
    // Redelivery goes oldest first: a message whose visibility timeout ran out is received before
    // a message sent after it (LocalStack test_sqs.py test_inflight_message_requeue, recorded on AWS).
    if (!returned_.empty() && (ready_.empty() || returned_.top() < ready_.front())) {
        const auto serial = returned_.top();
        returned_.pop();
        return serial;
    }
    if (ready_.empty()) return 0;
    const auto serial = ready_.front();
    ready_.pop_front();
    return serial;
}

void Queue::refresh(TimePoint now) {
    while (!pending_.empty() && pending_.top().at <= now) {
        const auto due = pending_.top();
        pending_.pop();
        auto it = messages_.find(due.serial);
        // Entries are never removed early: one that no longer matches its message is stale.
        if (it == messages_.end() || it->second.state == Message::State::Visible || it->second.visible_at != due.at)
            continue;
        make_visible(it->second);
    }
}

void Queue::erase(std::unordered_map<std::uint64_t, Message>::iterator it) {
    Message& m = it->second;
    switch (m.state) {
        case Message::State::Visible:
            --visible_;
            break;
        case Message::State::Delayed:
            --delayed_;
            break;
        case Message::State::InFlight:
            --in_flight_;
            if (fifo()) {
                // The messages that waited behind this one may be free now.
                auto g = groups_.find(m.group_id());
                if (g != groups_.end()) {
                    --g->second.in_flight;
                    enqueue_group(m.group_id());
                }
            }
            break;
    }
    messages_.erase(it);
}

void Queue::receive_one(Message& m, int visibility, TimePoint now) {
    ++m.receive_count;
    if (m.first_received == TimePoint{}) m.first_received = now;
    m.last_received = now;
    ++m.receipt_nonce;
    --visible_;
    ++in_flight_;
    m.state = Message::State::InFlight;
    m.visible_at = now + seconds(visibility);
    schedule(m.visible_at, m.serial);
    if (fifo()) ++groups_[m.group_id()].in_flight;
}

bool Queue::divert_to_dead_letter(std::unordered_map<std::uint64_t, Message>::iterator it, const DeadLetterSink& sink) {
    // A message moves on the receive that would take it past maxReceiveCount.
    if (!config_.redrive || !sink || static_cast<int>(it->second.receive_count) < config_.redrive->max_receive_count)
        return false;
    Message copy;
    Message& m = it->second;
    copy.id = m.id;
    copy.body_md5 = m.body_md5;
    copy.body = std::move(m.body);
    copy.sent = m.sent;
    copy.first_received = m.first_received;
    copy.receive_count = m.receive_count;
    copy.sender = m.sender;
    copy.extras = std::move(m.extras);
    copy.ensure_extras().dead_letter_source_arn = arn_;
    if (!sink(std::move(copy))) {
        // No queue took it: put it back as it was (a sink that answers false leaves the message alone).
        m.body = std::move(copy.body);  // NOLINT(bugprone-use-after-move)
        m.extras = std::move(copy.extras);
        m.extras->dead_letter_source_arn.clear();
        return false;
    }
    erase(it);
    return true;
}

std::vector<const Message*> Queue::replay_attempt(const std::string& attempt_id, TimePoint now) {
    auto it = attempts_.find(attempt_id);
    if (it == attempts_.end()) return {};
    std::vector<const Message*> out;
    if (it->second.expires > now) {
        for (const auto& [serial, nonce] : it->second.received) {
            auto m = messages_.find(serial);
            if (m == messages_.end() || m->second.receipt_nonce != nonce ||
                m->second.state != Message::State::InFlight) {
                out.clear();
                break;
            }
            out.push_back(&m->second);
        }
    }
    if (out.empty()) attempts_.erase(it);
    return out;
}

std::vector<const Message*> Queue::receive(const ReceiveOptions& options, TimePoint now,
                                           const DeadLetterSink& dead_letter) {
    refresh(now);
    const int visibility = options.visibility_timeout.value_or(config_.visibility_timeout);
    std::vector<const Message*> out;
    const auto max = static_cast<std::size_t>(options.max_messages);

    if (!fifo()) {
        while (out.size() < max) {
            const auto serial = next_ready();
            if (serial == 0) break;
            auto it = messages_.find(serial);
            if (it == messages_.end() || it->second.state != Message::State::Visible) continue;
            if (expired(it->second, now)) {
                erase(it);
                continue;
            }
            if (divert_to_dead_letter(it, dead_letter)) continue;
            receive_one(it->second, visibility, now);
            out.push_back(&it->second);
        }
        return out;
    }

    if (!options.attempt_id.empty()) {
        if (auto replayed = replay_attempt(options.attempt_id, now); !replayed.empty()) return replayed;
    }
    while (out.size() < max && !ready_groups_.empty()) {
        const std::string group_id = std::move(ready_groups_.front());
        ready_groups_.pop_front();
        auto git = groups_.find(group_id);
        if (git == groups_.end()) continue;
        FifoGroup& g = git->second;
        g.queued = false;
        // A group hands out its messages in order, from its head, up to the first one that is not
        // visible: a message in flight hides itself and the messages after it, not those before
        // it. So a message made visible again (ChangeMessageVisibility to 0, an expired timeout)
        // is delivered while a later message of its group is still in flight (LocalStack
        // test_sqs.py test_fifo_message_group_visibility_after_terminate_visibility_timeout,
        // test_fifo_message_group_visibility_after_change_message_visibility and
        // test_fifo_group_visibility_extends_with_change_message_visibility, recorded on AWS).
        // A group is queued whenever one of its messages becomes visible or leaves flight, so
        // this finds out, in one step, whether its head can go.
        for (std::size_t i = 0; i < g.messages.size() && out.size() < max;) {
            auto it = messages_.find(g.messages[i]);
            if (it == messages_.end()) {
                if (i == 0)
                    g.messages.pop_front();
                else
                    ++i;
                continue;
            }
            if (expired(it->second, now)) {
                erase(it);
                continue;
            }
            if (it->second.state != Message::State::Visible) break;
            if (divert_to_dead_letter(it, dead_letter)) continue;
            receive_one(it->second, visibility, now);
            out.push_back(&it->second);
            ++i;
        }
        while (!g.messages.empty() && !messages_.count(g.messages.front())) g.messages.pop_front();
        if (g.messages.empty() && g.in_flight == 0 && !g.queued) groups_.erase(git);
    }
    if (!options.attempt_id.empty() && !out.empty()) {
        if (attempts_.size() > 10'000)
            std::erase_if(attempts_, [now](const auto& a) { return a.second.expires <= now; });
        Attempt attempt{now + span(kDedupWindow), {}};
        for (const auto* m : out) attempt.received.emplace_back(m->serial, m->receipt_nonce);
        attempts_[options.attempt_id] = std::move(attempt);
    }
    return out;
}

Message* Queue::find_for_handle(const ReceiptHandle& handle) {
    if (handle.queue_uid != uid_) throw invalid_receipt_handle(handle.encode());
    auto it = messages_.find(handle.serial);
    return it == messages_.end() ? nullptr : &it->second;
}

void Queue::delete_message(const ReceiptHandle& handle, TimePoint now) {
    refresh(now);
    Message* m = find_for_handle(handle);
    // Deleting what is already gone succeeds. A handle from an earlier receive also succeeds but
    // deletes nothing: only the latest receive's handle deletes (DeleteMessage API reference).
    if (!m || m->receipt_nonce != handle.nonce) return;
    if (fifo() && m->state != Message::State::InFlight)
        throw invalid_parameter_value(
            "Value " + handle.encode() +
            " for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.");
    erase(messages_.find(handle.serial));
}

void Queue::change_visibility(const ReceiptHandle& handle, int timeout_seconds, TimePoint now) {
    refresh(now);
    Message* m = find_for_handle(handle);
    // On a standard queue a handle from an earlier receive of the message still changes its
    // visibility: receive with timeout 0, receive again with 3, set the first handle's timeout
    // to 0, and AWS makes the message visible (LocalStack test_sqs.py
    // test_terminate_visibility_timeout_after_receive, recorded on AWS). A FIFO queue only takes
    // the latest handle (its expired handles are refused, below).
    const bool stale =
        m && (handle.nonce == 0 || handle.nonce > m->receipt_nonce || (fifo() && handle.nonce != m->receipt_nonce));
    if (!m || stale)
        throw invalid_parameter_value("Value " + handle.encode() +
                                      " for parameter ReceiptHandle is invalid. Reason: Message does not exist or is "
                                      "not available for visibility timeout change.");
    if (fifo() && m->state != Message::State::InFlight)
        throw invalid_parameter_value(
            "Value " + handle.encode() +
            " for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.");
    if (now + seconds(timeout_seconds) - m->last_received > span(kMaxVisibility))
        throw invalid_parameter_value(
            "Value " + std::to_string(timeout_seconds) +
            " for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for "
            "the message is beyond the limit [43200 seconds]");
    if (timeout_seconds == 0) {
        m->visible_at = now;
        make_visible(*m);
        return;
    }
    // On a standard queue the latest handle still works after the timeout lapsed (AWS records a
    // success): the message is hidden again.
    if (m->state == Message::State::Visible) {
        --visible_;
        ++in_flight_;
        m->state = Message::State::InFlight;
    }
    m->visible_at = now + seconds(timeout_seconds);
    schedule(m->visible_at, m->serial);
}

void Queue::purge(TimePoint now) {
    if (last_purge_ && now < *last_purge_ + span(kPurgeWindow))
        throw error("PurgeQueueInProgress",
                    "Only one PurgeQueue operation on " + name_ + " is allowed every 60 seconds.");
    last_purge_ = now;
    messages_.clear();
    ready_.clear();
    returned_ = {};
    pending_ = {};
    groups_.clear();
    ready_groups_.clear();
    attempts_.clear();
    // A purge also forgets the deduplication ids: a message sent after it with an id used before
    // it is delivered (LocalStack test_sqs.py test_purge_queue_clears_fifo_deduplication_cache,
    // recorded on AWS), although the ids otherwise outlive their messages' deletion.
    dedup_.clear();
    dedup_order_.clear();
    visible_ = in_flight_ = delayed_ = 0;
}

void Queue::accept(Message&& message, TimePoint now) {
    message.state = Message::State::Visible;
    if (fifo()) message.ensure_extras().sequence_number = next_sequence(now);
    insert(std::move(message), now, 0);
}

std::vector<Message> Queue::take_visible(std::size_t max, TimePoint now) {
    refresh(now);
    std::vector<Message> out;
    while (!fifo() && out.size() < max) {
        const auto serial = next_ready();
        if (serial == 0) break;
        auto it = messages_.find(serial);
        if (it == messages_.end() || it->second.state != Message::State::Visible) continue;
        out.push_back(std::move(it->second));
        erase(it);
    }
    return out;
}

QueueCounts Queue::counts(TimePoint now) {
    refresh(now);
    return {visible_, in_flight_, delayed_};
}

std::vector<std::pair<const Message*, Message::State>> Queue::peek(TimePoint now) const {
    std::vector<std::pair<const Message*, Message::State>> out;
    out.reserve(messages_.size());
    for (const auto& [serial, m] : messages_) {
        if (expired(m, now)) continue;
        const bool due = m.state != Message::State::Visible && m.visible_at <= now;
        out.emplace_back(&m, due ? Message::State::Visible : m.state);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first->serial < b.first->serial; });
    return out;
}

std::optional<TimePoint> Queue::next_change() const {
    if (pending_.empty()) return std::nullopt;
    return pending_.top().at;
}

}  // namespace sluice::sqs
