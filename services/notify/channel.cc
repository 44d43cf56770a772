#include "services/notify/channel.h"

#include <cxxabi.h>

#include <cstdlib>
#include <exception>
#include <new>
#include <string>
#include <typeinfo>

#include "absl/strings/str_cat.h"

namespace rebook::notify {
namespace {

// The exception's type, readable ("std::out_of_range"), for the operator who reads the history.
std::string TypeName(const std::type_info& type) {
  int status = 0;
  char* name = abi::__cxa_demangle(type.name(), nullptr, nullptr, &status);
  std::string out = status == 0 && name != nullptr ? name : type.name();
  std::free(name);
  return out;
}

}  // namespace

DeliveryResult SendGuarded(Channel& channel, const RenderedMessage& message) {
  try {
    return channel.Send(message);
  } catch (const std::bad_alloc&) {
    return DeliveryResult::Temporary(
        absl::StrCat("channel ", std::string(channel.name()), " ran out of memory while sending"));
  } catch (const std::exception& e) {
    return DeliveryResult::Temporary(absl::StrCat("channel ", std::string(channel.name()),
                                                  " failed unexpectedly (exception ",
                                                  TypeName(typeid(e)), ")"));
  } catch (...) {
    return DeliveryResult::Temporary(absl::StrCat("channel ", std::string(channel.name()),
                                                  " failed unexpectedly (unknown exception)"));
  }
}

}  // namespace rebook::notify
