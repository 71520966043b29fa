// A batch from the source to its outcome: build the records, drop (and delete) what no filter
// lets through, enrich, invoke the target (targets.cpp), then delete what was delivered and
// leave what failed to come back after the source's visibility timeout.
#include "sluice/pipes/batch.hpp"

#include <spdlog/spdlog.h>

#include "sluice/core/arn.hpp"
#include "sluice/pipes/pipe_runner.hpp"
#include "sluice/protocol/json_text.hpp"

namespace sluice::pipes {

void PipeRunner::run_batch(std::shared_ptr<Batch> batch) {
    const auto& spec = *batch->spec;
    const auto region = scope_of(spec.source).region;
    std::vector<std::string> filtered_handles;
    for (std::size_t i = 0; i < batch->messages.size(); ++i) {
        batch->records.push_back(sqs_record(batch->messages[i], spec.source, region));
        bool pass = spec.filters.empty();
        if (!pass) {
            const Json view = filter_view(batch->records.back());
            for (const auto& f : spec.filters)
                if ((pass = f.matches(view))) break;
        }
        if (pass) {
            batch->delivered.push_back(i);
        } else {
            ++batch->filtered;
            filtered_handles.push_back(batch->records.back().value("receiptHandle", ""));
        }
    }
    // Filtered-out messages are deleted without delivery, whatever happens to the rest.
    if (!filtered_handles.empty()) delete_messages(*batch->pipe, spec, std::move(filtered_handles));
    if (batch->delivered.empty()) return finish_batch(batch, "");
    for (auto i : batch->delivered) batch->events.push_back(batch->records[i]);
    if (!spec.enrichment.empty()) return enrich(batch);
    invoke_target(batch);
}

void PipeRunner::enrich(std::shared_ptr<Batch> batch) {
    const auto& spec = *batch->spec;
    Json input = Json::array();
    for (std::size_t k = 0; k < batch->events.size(); ++k) {
        if (!spec.enrichment_template) {
            input.push_back(batch->events[k]);
            continue;
        }
        ReservedVariables vars{batch->pipe->arn, batch->pipe->name, spec.source,
                               spec.enrichment,  spec.target,       core::iso8601(batch->started)};
        input.push_back(spec.enrichment_template->render(batch->events[k], vars));
    }
    client_.call("stepfunctions", "StartSyncExecution",
                 {{"stateMachineArn", spec.enrichment}, {"input", protocol::dump_json(input)}},
                 scope_of(spec.enrichment), [self = shared_from_this(), batch](protocol::Outcome outcome) {
                     self->guarded(batch, [&] { self->enriched(batch, std::move(outcome)); });
                 });
}

void PipeRunner::enriched(std::shared_ptr<Batch> batch, protocol::Outcome outcome) {
    auto self = shared_from_this();
    const auto& spec = *batch->spec;
    if (auto* e = std::get_if<protocol::AwsError>(&outcome))
        return self->finish_batch(batch,
                                  "Enrichment " + spec.enrichment + ": " + e->short_code() + ": " + e->message());
    const auto& answer = std::get<Json>(outcome);
    if (answer.value("status", "") != "SUCCEEDED")
        return self->finish_batch(batch, execution_failure("Enrichment execution", answer));
    Json output = protocol::parse_json(answer.value("output", "null"));
    if (output.is_discarded()) output = nullptr;
    try {
        if (auto failed = batch_item_failures(output)) {
            // The failed items stay on the source; the others go on as they were.
            batch->failed_ids = *failed;
            std::vector<Json> kept;
            std::vector<std::size_t> kept_index;
            for (auto i : batch->delivered) {
                if (failed->count(batch->records[i].value("messageId", ""))) continue;
                kept.push_back(batch->records[i]);
                kept_index.push_back(i);
            }
            for (const auto& id : *failed) {
                bool known = false;
                for (auto i : batch->delivered) known = known || batch->records[i].value("messageId", "") == id;
                if (!known) throw std::invalid_argument("itemIdentifier " + id + " names no message of the batch");
            }
            batch->events = std::move(kept);
            batch->delivered = std::move(kept_index);
        } else {
            // The enrichment's output replaces the events: a list is the new batch.
            batch->events_are_records = false;
            batch->events.clear();
            // "", {} and [] mean: nothing for the target.
            if (output.is_array()) {
                for (auto& e : output) batch->events.push_back(std::move(e));
            } else if (!output.is_null() && output != Json("") && output != Json::object()) {
                batch->events.push_back(std::move(output));
            }
        }
    } catch (const std::invalid_argument& e) {
        batch->failed_ids.clear();
        return self->finish_batch(
            batch, "Enrichment " + spec.enrichment + " answered a bad partial batch response: " + e.what());
    }
    if (batch->events.empty()) return self->finish_batch(batch, "");
    self->invoke_target(batch);
}

void PipeRunner::guarded(const std::shared_ptr<Batch>& batch, const std::function<void()>& step) {
    try {
        step();
    } catch (const std::exception& e) {
        spdlog::error("pipe {}: internal error in a batch: {}", batch->pipe->name, e.what());
        try {
            finish_batch(batch, std::string("Sluice internal error: ") + e.what());
        } catch (const std::exception&) {
        }
    }
}

void PipeRunner::finish_batch(std::shared_ptr<Batch> batch, const std::string& failure) {
    if (batch->finished.exchange(true)) return;
    auto& pipe = *batch->pipe;
    const auto& spec = *batch->spec;
    std::vector<std::string> handles;
    std::size_t failed = 0;
    if (failure.empty()) {
        // Only the items a partial batch response names stay; on FIFO sources too (AWS deletes
        // the others even when that is out of order: keeping order is the target's job).
        for (auto i : batch->delivered) {
            const auto& r = batch->records[i];
            if (batch->failed_ids.count(r.value("messageId", ""))) {
                ++failed;
                continue;
            }
            handles.push_back(r.value("receiptHandle", ""));
        }
        // Items an enrichment already failed are no longer in `delivered`.
        for (const auto& id : batch->failed_ids) {
            bool in_delivered = false;
            for (auto i : batch->delivered)
                in_delivered = in_delivered || batch->records[i].value("messageId", "") == id;
            if (!in_delivered) ++failed;
        }
    } else {
        failed = batch->delivered.size();
        for (const auto& id : batch->failed_ids) {
            bool in_delivered = false;
            for (auto i : batch->delivered)
                in_delivered = in_delivered || batch->records[i].value("messageId", "") == id;
            if (!in_delivered) ++failed;
        }
    }
    const auto delivered = handles.size();
    if (!handles.empty()) delete_messages(pipe, spec, std::move(handles));

    const auto elapsed = std::chrono::duration_cast<core::Millis>(clock_.now() - batch->started).count();
    if (failure.empty())
        spdlog::info("pipe {}: batch of {}: {} delivered, {} filtered, {} failed ({} ms)", pipe.name,
                     batch->messages.size(), delivered, batch->filtered, failed, elapsed);
    else
        spdlog::warn("pipe {}: batch of {} failed, left for retry ({} ms): {}", pipe.name, batch->messages.size(),
                     elapsed, failure);
    lock_.run([&] {
        auto& c = pipe.counters;
        if (!batch->delivered.empty() || !batch->failed_ids.empty()) ++c.batches;
        c.messages_delivered += delivered;
        c.messages_filtered += batch->filtered;
        c.messages_failed += failed;
        if (!failure.empty() || failed > 0) {
            c.last_error = failure.empty() ? std::to_string(failed) + " item(s) of a batch failed" : failure;
            c.last_error_at = clock_.now();
        }
        --pipe.poller.batches_in_flight;
        pump(batch->pipe);
        settle_(batch->pipe);
    });
}

void PipeRunner::delete_messages(const Pipe& pipe, const PipeSpec& spec, std::vector<std::string> receipt_handles) {
    for (std::size_t i = 0; i < receipt_handles.size(); i += 10) {
        Json entries = Json::array();
        for (std::size_t j = i; j < std::min(receipt_handles.size(), i + 10); ++j)
            entries.push_back({{"Id", std::to_string(j - i)}, {"ReceiptHandle", receipt_handles[j]}});
        client_.call("sqs", "DeleteMessageBatch", {{"QueueUrl", spec.source_queue}, {"Entries", std::move(entries)}},
                     scope_of(spec.source), [name = pipe.name](protocol::Outcome outcome) {
                         if (auto* e = std::get_if<protocol::AwsError>(&outcome))
                             spdlog::warn("pipe {}: deleting delivered messages: {}", name, e->message());
                         else if (auto& j = std::get<Json>(outcome); !j.value("Failed", Json::array()).empty())
                             spdlog::warn("pipe {}: messages not deleted (their visibility timeout passed?): {}", name,
                                          j["Failed"].dump());
                     });
    }
}

}  // namespace sluice::pipes
