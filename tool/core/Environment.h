// Switches read from the environment, for the tests and performance work
// (FTLINT_PROFILE, FTLINT_CHECK_PARENTS, FTLINT_CHECK_INDEX), not for users.
#pragma once

#include <cstdlib>
#include <string_view>

namespace ftlint {

// The variable's value; empty when it is not set.
inline std::string_view environmentValue(const char *name) {
  const char *v = std::getenv(name);
  return v ? std::string_view(v) : std::string_view();
}

// True when the variable is set to anything but nothing or "0".
inline bool environmentSwitch(const char *name) {
  std::string_view v = environmentValue(name);
  return !v.empty() && v != "0";
}

}  // namespace ftlint
