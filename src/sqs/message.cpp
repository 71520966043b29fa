#include "sluice/sqs/message.hpp"

namespace sluice::sqs {

core::Md5 md5_of_attributes(const MessageAttributes& attributes) {
    core::Md5Builder md5;
    for (const auto& [name, value] : attributes) {
        md5.add_length_prefixed(name);
        md5.add_length_prefixed(value.data_type);
        md5.add_byte(value.is_binary() ? 2 : 1);
        md5.add_length_prefixed(value.value);
    }
    return md5.finish();
}

}  // namespace sluice::sqs
