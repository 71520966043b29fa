#pragma once
// Operations that only services call on each other, through the LocalClient. None is in a
// service's model, so no HTTP request can reach them (the codecs refuse what the model lacks).
namespace sluice::protocol::internal {

// SQS: a ReceiveMessage tagged with the member kReceiveOwner can later be answered at once,
// empty, by kReleaseReceives {Owner}: a stopped pipe takes no message.
inline constexpr const char* kReceiveOwner = "sluice:Owner";
inline constexpr const char* kReleaseReceives = "sluice:ReleaseReceives";

// ECS: answers {"task": Task} once the task is STOPPED (Step Functions' `ecs:runTask.sync`).
inline constexpr const char* kWaitTaskStopped = "sluice:WaitTaskStopped";

}  // namespace sluice::protocol::internal
