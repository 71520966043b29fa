#include "sluice/daemon/daemon.hpp"

namespace sluice::daemon {

Daemon::Daemon(core::Scheduler& scheduler, std::shared_ptr<ecs::ContainerEngine> engine, Options options)
    : scheduler_(scheduler),
      ecs_endpoint_configured_(!options.ecs.endpoint_url.empty()),
      client_(scheduler),
      sqs_(std::make_shared<sqs::SqsService>(scheduler)),
      sfn_(std::make_shared<sfn::SfnService>(scheduler, client_)),
      ecs_(std::make_shared<ecs::EcsService>(std::move(engine), scheduler.clock(), std::move(options.ecs))),
      pipes_(std::make_shared<pipes::PipesService>(scheduler, client_)),
      sns_(std::make_shared<sns::SnsService>(scheduler, client_)),
      eventbridge_(std::make_shared<eventbridge::EventBridgeService>(scheduler, client_)),
      router_(std::make_shared<server::Router>(options.version, std::move(options.access), &scheduler)) {
    sfn_->set_max_history_events(options.max_history_events);
    for (protocol::Service* service : std::initializer_list<protocol::Service*>{
             sqs_.get(), sfn_.get(), ecs_.get(), pipes_.get(), sns_.get(), eventbridge_.get()})
        client_.add(*service);
    router_->add(sqs_);
    router_->add(sfn_);
    router_->add(ecs_);
    router_->add(pipes_);
    router_->add(sns_);
    router_->add(eventbridge_);
    if (!options.sfn_mock_config.empty())
        mock_file_ = sfn::MockConfigFile::watch(
            options.sfn_mock_config, scheduler,
            [sfn = std::weak_ptr<sfn::SfnService>(sfn_)](std::shared_ptr<const sfn::MockConfig> config) {
                if (auto s = sfn.lock()) s->set_mock_config(std::move(config));
            });
}

Daemon::~Daemon() {
    if (mock_file_) mock_file_->stop();
    // Deadlines still on the scheduler point at the services through weak references only;
    // the services go first, the router (which shares them) with them.
    router_.reset();
    eventbridge_.reset();
    sns_.reset();
    pipes_.reset();
    sfn_.reset();
    ecs_.reset();
    sqs_.reset();
}

void Daemon::set_endpoint(const std::string& host_port) {
    client_.set_host(host_port);
    router_->set_endpoint(host_port);
    if (!ecs_endpoint_configured_) ecs_->set_endpoint_url("http://" + host_port);
}

}  // namespace sluice::daemon
