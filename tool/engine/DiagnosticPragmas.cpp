#include "tool/engine/DiagnosticPragmas.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Lex/Pragma.h"
#include "clang/Lex/Preprocessor.h"

namespace ftlint {
namespace {

using namespace clang;

class DiagnosticPragma : public PragmaHandler {
public:
  DiagnosticPragma() : PragmaHandler("diagnostic") {}

  // The preprocessor discards whatever is left of the line after us.
  void HandlePragma(Preprocessor &pp, PragmaIntroducer, Token &) override {
    Token tok;
    pp.LexUnexpandedToken(tok);
    IdentifierInfo *action = tok.getIdentifierInfo();
    if (!action || !action->isStr("ignored")) return;
    pp.LexUnexpandedToken(tok);
    std::string option;
    if (!pp.FinishLexStringLiteral(tok, option, "pragma diagnostic", /*AllowMacroExpansion=*/false)) return;
    llvm::StringRef name(option);
    if (!name.consume_front("-W")) return;
    // No location: the mapping changes for the whole unit, as a command-line
    // -Wno-... would, and adds no state that later questions must search.
    DiagnosticsEngine &diags = pp.getDiagnostics();
    if (name == "everything") diags.setSeverityForAll(diag::Flavor::WarningOrError, diag::Severity::Ignored);
    else diags.setSeverityForGroup(diag::Flavor::WarningOrError, name, diag::Severity::Ignored);
  }
};

}  // namespace

void installDiagnosticPragmaHandlers(Preprocessor &pp) {
  for (const char *space : {"clang", "GCC"}) {
    // Handlers are found by name. The preprocessor hands the one it made back
    // to "the caller", who has no pointer to it: it stays allocated, a few
    // dozen bytes per unit.
    DiagnosticPragma byName;
    pp.RemovePragmaHandler(space, &byName);
    pp.AddPragmaHandler(space, new DiagnosticPragma());
  }
}

}  // namespace ftlint
