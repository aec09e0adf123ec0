#include "tool/analysis/ModuleDefinitions.h"

#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/TuContext.h"
#include "tool/analysis/TuIndex.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

#include <algorithm>
#include <set>

using namespace clang;

namespace ftlint {
namespace {


// The value after `Py_mod_gil` or `PyUnstable_Module_SetGIL(m,` in raw text.
GilDeclaration declarationInText(const SourceManager &sm, SourceLocation loc) {
  auto [fid, offset] = sm.getDecomposedLoc(loc);
  llvm::StringRef buffer = sm.getBufferData(fid);
  llvm::StringRef rest = buffer.substr(offset, 200);
  size_t stop = rest.find_first_of("};");
  rest = rest.substr(0, stop);
  if (rest.contains("Py_MOD_GIL_NOT_USED")) return GilDeclaration::NotUsed;
  if (rest.contains("Py_MOD_GIL_USED")) return GilDeclaration::Used;
  return GilDeclaration::NotUsed;  // a value ftlint cannot read: still a declaration
}

struct OffsetRange {
  FileID file;
  unsigned begin, end;
  bool contains(const SourceManager &sm, SourceLocation loc) const {
    auto [fid, off] = sm.getDecomposedLoc(sm.getExpansionLoc(loc));
    return fid == file && begin <= off && off <= end;
  }
};

OffsetRange rangeOf(const SourceManager &sm, SourceRange r) {
  SourceLocation b = sm.getExpansionLoc(r.getBegin()), e = sm.getExpansionRange(r.getEnd()).getEnd();
  return {sm.getFileID(b), sm.getFileOffset(b), sm.getFileOffset(e)};
}

const VarDecl *definitionPassedTo(const CallExpr *call) {
  if (call->getNumArgs() == 0) return nullptr;
  const Expr *arg = stripCasts(call->getArg(0));
  if (const auto *uo = dyn_cast<UnaryOperator>(arg); uo && uo->getOpcode() == UO_AddrOf)
    if (const auto *ref = dyn_cast<DeclRefExpr>(stripCasts(uo->getSubExpr())))
      return dyn_cast<VarDecl>(ref->getDecl());
  return nullptr;
}

// The function containing `call` and every function it calls, transitively,
// whose body this TU has: where a single-phase module's declaration may be.
std::vector<const FunctionDecl *> initFunctions(const CallExpr *call, ASTContext &ast) {
  std::vector<const FunctionDecl *> out;
  const FunctionDecl *start = enclosingFunction(call, ast);
  if (!start) return out;
  std::set<const FunctionDecl *> seen{start};
  out.push_back(start);
  for (size_t i = 0; i < out.size(); ++i) {
    struct Calls : RecursiveASTVisitor<Calls> {
      std::vector<const FunctionDecl *> callees;
      bool VisitCallExpr(CallExpr *c) {
        if (const FunctionDecl *fd = c->getDirectCallee())
          if (const FunctionDecl *def = fd->getDefinition()) callees.push_back(def);
        return true;
      }
    } calls;
    if (out[i]->getBody()) calls.TraverseStmt(out[i]->getBody());
    for (const FunctionDecl *fd : calls.callees)
      if (seen.insert(fd).second) out.push_back(fd);
  }
  return out;
}

GilDeclaration combine(GilDeclaration a, GilDeclaration b) { return a == GilDeclaration::Missing ? b : a; }

std::vector<ModuleDefinition> collectModuleDefinitions(TuContext &tu) {
  ASTContext &ast = tu.ast();
  const SourceManager &sm = ast.getSourceManager();
  const TuIndex &index = tu.index();
  std::vector<const CallExpr *> moduleCalls = index.callsNamed(
      {"PyModule_Create2", "PyModule_Create", "PyModuleDef_Init", "PyModule_FromDefAndSpec2", "PyModule_FromDefAndSpec"});
  std::vector<const CallExpr *> setGilCalls = index.callsNamed({"PyUnstable_Module_SetGIL"});

  // Declarations only a free-threaded build compiles, found as text.
  std::vector<std::pair<std::string, SourceLocation>> skippedDeclarations;
  tu.preprocessor().forEachLiveSkippedIdentifier(sm, [&](const SkippedIdentifier &id) {
    if (id.name == "Py_mod_gil" || id.name == "PyUnstable_Module_SetGIL")
      skippedDeclarations.emplace_back(std::string(id.name), id.loc);
  });

  std::vector<ModuleDefinition> modules;
  for (const VarDecl *vd : index.initializedStructs([](const RecordDecl *r) { return r->getName() == "PyModuleDef"; })) {
    if (!tu.inProject(vd->getLocation())) continue;
    const auto *init = dyn_cast<InitListExpr>(vd->getInit()->IgnoreImplicit());
    const RecordDecl *record = vd->getType().getCanonicalType()->getAsRecordDecl();
    if (!init || !record) continue;
    ModuleDefinition m;
    m.definition = vd;
    m.name = vd->getName().str();
    if (const auto *nameLit = dyn_cast_or_null<StringLiteral>(
            fieldInitializer(init, record, "m_name") ? stripCasts(fieldInitializer(init, record, "m_name")) : nullptr))
      m.name = nameLit->getString().str();
    if (const Expr *slots = fieldInitializer(init, record, "m_slots")) {
      if (const auto *ref = dyn_cast<DeclRefExpr>(stripCasts(slots))) {
        m.slots = dyn_cast<VarDecl>(ref->getDecl());
        m.multiPhase = true;
      }
    }
    for (const CallExpr *call : moduleCalls) {
      if (definitionPassedTo(call) != vd) continue;
      std::string callee = calleeName(call);
      if (callee == "PyModule_Create2" || callee == "PyModule_Create") m.create = call;
      else m.multiPhase = true;
    }
    modules.push_back(m);
  }

  // The value of a Py_mod_gil slot or a SetGIL call: USED is a deliberate opt-out.
  auto slotValue = [&](const Expr *value) {
    return expandedFromMacro(value->getBeginLoc(), "Py_MOD_GIL_USED", ast) ? GilDeclaration::Used
                                                                           : GilDeclaration::NotUsed;
  };
  for (ModuleDefinition &m : modules) {
    if (m.multiPhase && m.slots && m.slots->hasInit()) {
      if (const auto *array = dyn_cast<InitListExpr>(m.slots->getInit()->IgnoreImplicit())) {
        for (const Expr *element : array->inits()) {
          // Error recovery can leave an element out (null).
          const auto *slot = element ? dyn_cast<InitListExpr>(element->IgnoreImplicit()) : nullptr;
          if (!slot || slot->getNumInits() < 2 || !slot->getInit(0) || !slot->getInit(1) ||
              !expandedFromMacro(slot->getInit(0)->getBeginLoc(), "Py_mod_gil", ast))
            continue;
          m.gil = combine(m.gil, slotValue(slot->getInit(1)));
        }
      }
      OffsetRange slotsText = rangeOf(sm, m.slots->getSourceRange());
      for (const auto &[ident, loc] : skippedDeclarations)
        if (ident == "Py_mod_gil" && slotsText.contains(sm, loc)) m.gil = combine(m.gil, declarationInText(sm, loc));
    } else if (m.create) {
      for (const FunctionDecl *fd : initFunctions(m.create, ast)) {
        OffsetRange body = rangeOf(sm, fd->getSourceRange());
        for (const CallExpr *call : setGilCalls)
          if (body.contains(sm, call->getBeginLoc()) && call->getNumArgs() >= 2)
            m.gil = combine(m.gil, slotValue(call->getArg(1)));
        for (const auto &[ident, loc] : skippedDeclarations)
          if (ident == "PyUnstable_Module_SetGIL" && body.contains(sm, loc))
            m.gil = combine(m.gil, declarationInText(sm, loc));
      }
    }
  }
  return modules;
}

}  // namespace

const std::vector<ModuleDefinition> &findModuleDefinitions(TuContext &tu) {
  return tu.memoized<std::vector<ModuleDefinition>>([&] { return collectModuleDefinitions(tu); });
}

std::vector<BindingModule> findBindingModules(TuContext &tu) {
  const SourceManager &sm = tu.sourceManager();
  std::vector<BindingModule> uses;
  auto add = [&](std::string_view macro, SourceLocation loc, const std::vector<std::string> &args) {
    if (args.empty()) return;
    BindingModule m;
    m.library = macro == "NB_MODULE" ? BindingModule::Nanobind : BindingModule::Pybind11;
    m.name = normaliseObjectText(args[0]);
    m.loc = loc;
    for (size_t i = 2; i < args.size(); ++i) {
      if (args[i].find("mod_gil_not_used") != std::string::npos) m.gil = GilDeclaration::NotUsed;
      else if (args[i].find("mod_gil_used") != std::string::npos) m.gil = GilDeclaration::Used;
    }
    uses.push_back(m);
  };
  for (const MacroUse &use : tu.preprocessor().macroUses)
    if (use.name == "PYBIND11_MODULE" || use.name == "NB_MODULE") add(use.name, use.loc, use.arguments);
  tu.preprocessor().forEachLiveSkippedIdentifier(sm, [&](const SkippedIdentifier &id) {
    if (id.name != "PYBIND11_MODULE" && id.name != "NB_MODULE") return;
    auto [fid, offset] = sm.getDecomposedLoc(id.loc);
    llvm::StringRef after = sm.getBufferData(fid).substr(offset + id.name.size(), 4096);
    add(id.name, id.loc, readMacroArguments(std::string_view(after.data(), after.size())));
  });

  std::vector<BindingModule> modules;
  for (const BindingModule &use : uses) {
    if (tu.preprocessor().deadInFreeThreadedBuild(sm, use.loc) || !tu.inProject(use.loc)) continue;
    auto same = std::find_if(modules.begin(), modules.end(), [&](const BindingModule &m) { return m.name == use.name; });
    if (same == modules.end()) modules.push_back(use);
    else if (same->gil == GilDeclaration::Missing) same->gil = use.gil;
  }
  return modules;
}

}  // namespace ftlint
