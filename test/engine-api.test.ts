// The engine's public API is cep/index.ts (packaged as @peregrine/cep): it holds what a rule author
// and an embedding program use, and each export says what it is in TSDoc, which editors show and
// the package's declarations carry.
import ts from 'typescript';
import { join } from 'node:path';
import * as engine from '../cep';

const ENTRY = join(__dirname, '..', 'cep', 'index.ts');

describe('the engine API', () => {
  it('exports the pattern DSL, the rule DSL, the test harnesses and the job API', () => {
    const used = { Pattern: 'function', AfterMatchSkip: 'object', WithinType: 'object', iterative: 'function', defineRule: 'function', isTransaction: 'function',
      loadRulePack: 'function', ruleEngineStage: 'function', expectRule: 'function', CepHarness: 'function', JobTestDriver: 'function', defineJob: 'function',
      transaction: 'function', authEvent: 'function', profile: 'function' };
    expect(Object.fromEntries(Object.keys(used).map((name) => [name, typeof (engine as Record<string, unknown>)[name]]))).toEqual(used);
  });

  it('documents every export in TSDoc', () => {
    const program = ts.createProgram([ENTRY], { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, strict: true, types: ['node'], noEmit: true });
    const checker = program.getTypeChecker();
    const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(ENTRY)!)!);
    const undocumented = exported
      .map((symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol))
      .filter((symbol) => ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() === '')
      .map((symbol) => symbol.name);
    expect(exported.length).toBeGreaterThan(100);
    expect(undocumented).toEqual([]);
  });
});
