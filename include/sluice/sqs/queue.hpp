#pragma once
// One SQS queue: its messages and everything that moves them between delayed, visible and
// in flight. Time is always passed in, so the queue is exercised with a manual clock; nothing
// here waits or knows about the wire.
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "sluice/core/scope.hpp"
#include "sluice/sqs/message.hpp"
#include "sluice/sqs/queue_config.hpp"
#include "sluice/sqs/receipt_handle.hpp"

namespace sluice::sqs {

// The digests AWS hands back for a message, and keeps for its receives.
struct MessageDigests {
    core::Md5 body{};
    std::optional<core::Md5> attributes;
    std::optional<core::Md5> system_attributes;
};

struct SendRequest {
    std::string body;
    MessageAttributes attributes;
    MessageAttributes system_attributes;
    std::optional<int> delay_seconds;  // per message; standard queues only
    std::string group_id;
    std::string deduplication_id;
    std::uint32_t sender = 0;
    // Filled by whoever checks the message, before it takes the service's lock, so the hashing
    // is done outside it; Queue::send computes them when absent.
    std::optional<MessageDigests> digests;
};

MessageDigests digest(const SendRequest& request);

// What a queue asks of the messages sent to it: a copy the sender checks against outside the
// service's lock (a queue's config changes only under it).
struct MessageRules {
    bool fifo = false;
    bool content_based_deduplication = false;
    std::size_t maximum_message_size = 0;
};

struct SendResult {
    core::Uuid id{};
    core::Md5 body_md5{};
    std::optional<core::Md5> attributes_md5;
    std::optional<core::Md5> system_attributes_md5;
    std::uint64_t sequence_number = 0;  // FIFO only
};

struct ReceiveOptions {
    int max_messages = 1;
    std::optional<int> visibility_timeout;
    std::string attempt_id;  // FIFO ReceiveRequestAttemptId
};

struct QueueCounts {
    std::size_t visible = 0, in_flight = 0, delayed = 0;
};

// Hands a message that exceeded maxReceiveCount to the dead-letter queue; false if there is
// none to take it (it then stays where it is).
using DeadLetterSink = std::function<bool(Message&&)>;

class Queue {
public:
    // `time_scale` shortens every duration the queue applies (see core::Clock).
    Queue(std::string name, core::Scope scope, QueueConfig config, TimePoint now, std::uint64_t uid,
          double time_scale = 1.0);

    const std::string& name() const { return name_; }
    const core::Scope& scope() const { return scope_; }
    const std::string& arn() const { return arn_; }
    std::uint64_t uid() const { return uid_; }
    bool fifo() const { return config_.fifo; }
    const QueueConfig& config() const { return config_; }
    MessageRules message_rules() const {
        return {config_.fifo, config_.content_based_deduplication,
                static_cast<std::size_t>(config_.maximum_message_size)};
    }
    void set_config(QueueConfig config, TimePoint now);
    TimePoint created() const { return created_; }
    TimePoint last_modified() const { return last_modified_; }
    std::map<std::string, std::string>& tags() { return tags_; }

    SendResult send(SendRequest request, TimePoint now);
    // The messages received; they stay owned by the queue and valid until its next change.
    std::vector<const Message*> receive(const ReceiveOptions& options, TimePoint now,
                                        const DeadLetterSink& dead_letter);
    void delete_message(const ReceiptHandle& handle, TimePoint now);
    void change_visibility(const ReceiptHandle& handle, int timeout_seconds, TimePoint now);
    void purge(TimePoint now);

    // Takes a message from elsewhere (a dead-letter move, a move task) as a new visible message.
    void accept(Message&& message, TimePoint now);
    // Removes up to `max` visible messages, oldest first, for a message move task.
    std::vector<Message> take_visible(std::size_t max, TimePoint now);

    QueueCounts counts(TimePoint now);
    // Every message as it stands at `now` (a delay or a visibility timeout that has run out
    // counts as visible), in arrival order, changing nothing: no receive, no refresh.
    std::vector<std::pair<const Message*, Message::State>> peek(TimePoint now) const;
    // The earliest moment a delayed or in-flight message may become visible.
    std::optional<TimePoint> next_change() const;
    ReceiptHandle handle_of(const Message& m) const { return {uid_, m.serial, m.receipt_nonce}; }

private:
    struct Pending {
        TimePoint at;
        std::uint64_t serial;
        std::uint64_t order;  // when it was scheduled
        // Ties go in the order they were scheduled: messages received together with a timeout
        // of 0 come back, and their FIFO groups line up again, in the order they were handed out
        // (LocalStack test_sqs.py test_fifo_receive_message_with_zero_visibility_timeout, recorded on AWS).
        bool operator>(const Pending& o) const { return at != o.at ? at > o.at : order > o.order; }
    };
    void schedule(TimePoint at, std::uint64_t serial) { pending_.push({at, serial, next_pending_++}); }
    struct FifoGroup {
        std::deque<std::uint64_t> messages;  // in send order, including those in flight
        std::uint32_t in_flight = 0;
        bool queued = false;  // in ready_groups_
    };
    struct DedupEntry {
        TimePoint expires;
        core::Uuid id;
        std::uint64_t sequence_number;
    };
    struct Attempt {
        TimePoint expires;
        std::vector<std::pair<std::uint64_t, std::uint32_t>> received;  // serial, nonce
    };

    void refresh(TimePoint now);
    std::uint64_t next_sequence(TimePoint now);
    // The next serial to try on a standard queue, oldest first; 0 when there is none.
    std::uint64_t next_ready();
    void make_visible(Message& m);
    void enqueue_group(const std::string& group_id);
    bool expired(const Message& m, TimePoint now) const;
    void erase(std::unordered_map<std::uint64_t, Message>::iterator it);
    Message* find_for_handle(const ReceiptHandle& handle);
    void receive_one(Message& m, int visibility, TimePoint now);
    bool divert_to_dead_letter(std::unordered_map<std::uint64_t, Message>::iterator it, const DeadLetterSink& sink);
    std::vector<const Message*> replay_attempt(const std::string& attempt_id, TimePoint now);
    void forget_expired_dedup(TimePoint now);
    std::uint64_t insert(Message&& m, TimePoint now, int delay_seconds);
    Millis span(Millis d) const { return Millis(static_cast<long long>(static_cast<double>(d.count()) * time_scale_)); }
    Millis seconds(long long s) const { return span(Millis(s * 1000)); }

    std::string name_;
    core::Scope scope_;
    std::string arn_;
    QueueConfig config_;
    TimePoint created_, last_modified_;
    std::uint64_t uid_;
    double time_scale_;
    // The deduplication scope the queue was created with. AWS keeps deduplicating by it after
    // SetQueueAttributes changes DeduplicationScope, both ways, for new deduplication ids too
    // (LocalStack test_sqs.py test_fifo_change_to_high_throughput_after_creation and
    // test_fifo_change_to_regular_throughput_after_creation, recorded on AWS).
    bool per_group_dedup_;
    std::map<std::string, std::string> tags_;

    std::unordered_map<std::uint64_t, Message> messages_;
    std::uint64_t next_serial_ = 1;
    // Standard queues: visible messages (both may hold stale serials). `ready_` takes new sends,
    // in arrival order; `returned_` the messages that became visible later (an expired visibility
    // timeout or delay), oldest first. A receive takes the older head of the two, so a message
    // back from flight goes before a newer one that was waiting.
    std::deque<std::uint64_t> ready_;
    std::priority_queue<std::uint64_t, std::vector<std::uint64_t>, std::greater<>> returned_;
    std::priority_queue<Pending, std::vector<Pending>, std::greater<>> pending_;  // delayed, in flight
    std::uint64_t next_pending_ = 0;
    std::size_t visible_ = 0, in_flight_ = 0, delayed_ = 0;

    // FIFO
    std::unordered_map<std::string, FifoGroup> groups_;
    std::deque<std::string> ready_groups_;
    std::unordered_map<std::string, DedupEntry> dedup_;
    std::deque<std::pair<TimePoint, std::string>> dedup_order_;
    std::unordered_map<std::string, Attempt> attempts_;
    std::uint64_t last_sequence_ = 0;

    std::optional<TimePoint> last_purge_;
};

}  // namespace sluice::sqs
