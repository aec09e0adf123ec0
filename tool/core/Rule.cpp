#include "tool/core/Rule.h"

#include <algorithm>
#include <fmt/format.h>

namespace ftlint {

const char *fixAvailabilityName(FixAvailability f) {
  switch (f) {
  case FixAvailability::None: return "none";
  case FixAvailability::Safe: return "safe";
  case FixAvailability::Unsafe: return "unsafe";
  case FixAvailability::Sometimes: return "sometimes";
  }
  return "none";
}

static std::vector<RegisteredRule> &registry() {
  static std::vector<RegisteredRule> rules;
  return rules;
}

RuleRegistrar::RuleRegistrar(const RuleInfo &info, RuleFactory make) {
  auto &rules = registry();
  auto pos = std::lower_bound(rules.begin(), rules.end(), info.code,
                              [](const RegisteredRule &r, std::string_view code) {
                                return r.info->code < code;
                              });
  rules.insert(pos, RegisteredRule{&info, make});
}

const std::vector<RegisteredRule> &allRules() { return registry(); }

const RegisteredRule *findRule(std::string_view code) {
  for (const auto &r : registry())
    if (r.info->code == code) return &r;
  return nullptr;
}

namespace {

constexpr std::string_view kWhenShared =
    R"(ftlint reports the site only when another thread may reach the container. It stays quiet for containers
created in the function (`PyList_New`, `PyDict_New`, `PyDict_Copy`, `Py_BuildValue`, ...) and not yet stored,
returned or passed to code that may keep them (a helper of this file that only fills them, even one that hands
them on to itself, keeps nothing), directly, through a copy in another local variable, or through an
out-parameter just set (`*out = PyList_New(n)`); for keyword-argument dicts and the positional-argument tuple;
for containers every caller in the file creates; for containers in fields of C structs that only live on the
stack and only hold fresh containers; for containers the file only changes during module initialisation; and
inside `Py_BEGIN_CRITICAL_SECTION` on the same object, also when a macro writes the function and its section.

**Confidence.** A finding has *high* confidence when ftlint sees why other threads can reach the container: it
is an argument, a global, an object's field or attribute, `sys.modules`, or the function stores or passes it on
itself. When the only reason is that a call into Python code returned it (`PyObject_CallOneArg()`,
`PyObject_CallMethod()`, `PyObject_Vectorcall()`, ...), directly or as an item of a tuple such a call returned,
the finding has *low* confidence and is reported only with `--confidence low`: ftlint cannot see that code, and
what it returns is usually built for the caller.)";

}  // namespace

std::string ruleMarkdown(const RuleInfo &info) {
  std::string out = fmt::format("# {} {}\n\n{}\n\n", info.code, info.name, info.summary);
  out += fmt::format("Default: {}. Fix: {}.\n\n", info.enabledByDefault ? "on" : "off",
                     fixAvailabilityName(info.fix));
  auto section = [&](std::string_view title, std::string_view body) {
    if (!body.empty()) out += fmt::format("## {}\n\n{}\n\n", title, body);
  };
  section("What it does", info.whatItDoes);
  if (info.judgesSharing) section("When the container counts as shared", kWhenShared);
  section("Why is this bad", info.whyItMatters);
  section("Example", info.example);
  if (info.fixMechanics.empty()) section("Fix and its safety", info.fixDescription);
  else section("Fix and its safety", fmt::format("{}\n\n{}", info.fixDescription, info.fixMechanics));
  section("References", info.references);
  while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n')
    out.pop_back();
  return out;
}

}  // namespace ftlint
