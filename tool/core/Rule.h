// The rule framework. A rule is one class in one file under rules/, with its
// documentation next to it (RuleInfo) and a registration line at the bottom:
//
//   class BorrowedListItem : public Rule { ... subscribe / check ... };
//   FTLINT_REGISTER_RULE(BorrowedListItem, kInfo);
//
// `ftlint rules`, `ftlint explain`, the docs pages and SARIF rule metadata are
// all produced from the same RuleInfo, so they cannot drift apart.
#pragma once

#include "clang/ASTMatchers/ASTMatchFinder.h"

#include <memory>
#include <string_view>
#include <vector>

namespace ftlint {

class TuContext;

enum class FixAvailability { None, Safe, Unsafe, Sometimes };
const char *fixAvailabilityName(FixAvailability f);

struct RuleInfo {
  std::string_view code;     // FT101: stable forever
  std::string_view name;     // borrowed-list-item
  std::string_view summary;  // one line
  bool enabledByDefault = true;
  FixAvailability fix = FixAvailability::None;
  // Markdown sections of the rule's documentation.
  std::string_view whatItDoes;
  std::string_view whyItMatters;
  std::string_view example;
  std::string_view fixDescription;  // what the fix does and why it is (un)safe
  std::string_view fixMechanics;    // how a fix shared by several rules works (one text for all of them)
  std::string_view references;      // bullet list of links
  // The rule reports only accesses to containers other threads may reach:
  // its page explains once for all such rules what counts as shared.
  bool judgesSharing = false;
};

// One instance per rule per translation unit, so rules may keep per-TU state.
class Rule : public clang::ast_matchers::MatchFinder::MatchCallback {
public:
  Rule(const RuleInfo &info, TuContext &ctx) : info_(info), ctx_(ctx) {}
  ~Rule() override = default;

  const RuleInfo &info() const { return info_; }

  // Subscribe to the nodes the rule looks at (context().nodes()); `check`
  // is called for each, with the node bound as a matcher would bind it.
  virtual void subscribe() {}
  virtual void check(const clang::ast_matchers::MatchFinder::MatchResult &result) {}
  // Called once the whole TU was walked: rules that need all facts first
  // (module declarations, say) report here.
  virtual void finishTranslationUnit(clang::ASTContext &ast) {}

  void run(const clang::ast_matchers::MatchFinder::MatchResult &result) final { check(result); }
  // Groups the callback time by rule when profiling (FTLINT_PROFILE).
  llvm::StringRef getID() const override { return {info_.code.data(), info_.code.size()}; }

protected:
  TuContext &context() { return ctx_; }

private:
  const RuleInfo &info_;
  TuContext &ctx_;
};

using RuleFactory = std::unique_ptr<Rule> (*)(const RuleInfo &, TuContext &);

struct RegisteredRule {
  const RuleInfo *info;
  RuleFactory make;
};

// Every rule linked into the binary, ordered by code.
const std::vector<RegisteredRule> &allRules();
const RegisteredRule *findRule(std::string_view code);

struct RuleRegistrar {
  RuleRegistrar(const RuleInfo &info, RuleFactory make);
};

template <typename RuleClass>
std::unique_ptr<Rule> makeRule(const RuleInfo &info, TuContext &ctx) {
  return std::make_unique<RuleClass>(info, ctx);
}

#define FTLINT_REGISTER_RULE(RuleClass, Info)                                  \
  static const ::ftlint::RuleRegistrar RuleClass##Registrar{                   \
      Info, &::ftlint::makeRule<RuleClass>}

// The documentation of a rule as Markdown (docs pages, SARIF help) or as
// plain text for the terminal (`ftlint explain`).
std::string ruleMarkdown(const RuleInfo &info);

}  // namespace ftlint
