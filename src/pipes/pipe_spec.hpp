#pragma once
// Turning CreatePipe/UpdatePipe input into a PipeSpec, with the checks AWS makes on it: name and
// ARN patterns, which sources and targets are supported, batching limits, filter patterns,
// templates, and parameters that belong to another kind of target.
#include <memory>

#include "sluice/pipes/pipe.hpp"

namespace sluice::pipes {

void check_pipe_name(const std::string& name);

// Create: everything from `params`. Update: `base` gives the source and whatever the update
// leaves out keeps its value (each parameter block it names replaces the pipe's).
std::shared_ptr<const PipeSpec> build_spec(const Json& params, const PipeSpec* base);

// The PascalCase Pipes shape of what DescribePipe shows for LogConfiguration.
Json log_configuration_json(const Json& parameters);

}  // namespace sluice::pipes
