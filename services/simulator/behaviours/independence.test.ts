// The behavioural generator is the data the rules are measured on, so it must not know them: no
// module it reaches, however indirectly, may lie under rules/. The import graph is walked with
// TypeScript's own module resolution, type-only imports included.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..', '..');
const GENERATOR = __dirname;

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options;
}

/** The generator's own modules: every file of its folder but the tests. */
function entries(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entries(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every project file reachable from `starts`, with the module that first imported it. */
function reachable(starts: readonly string[]): Map<string, string | null> {
  const options = compilerOptions();
  const seen = new Map<string, string | null>(starts.map((start) => [start, null]));
  const pending = [...starts];
  while (pending.length > 0) {
    const file = pending.pop()!;
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: specifier } of importedFiles) {
      const resolved = ts.resolveModuleName(specifier, file, options, ts.sys).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) continue;
      if (seen.has(resolved.resolvedFileName)) continue;
      seen.set(resolved.resolvedFileName, file);
      pending.push(resolved.resolvedFileName);
    }
  }
  return seen;
}

/** How `file` was reached: the chain of imports from an entry module. */
function chain(graph: Map<string, string | null>, file: string): string {
  const path: string[] = [];
  for (let at: string | null | undefined = file; at; at = graph.get(at)) path.unshift(relative(ROOT, at));
  return path.join(' -> ');
}

describe('the behavioural generator', () => {
  const graph = reachable(entries(GENERATOR));

  it('is walked through its own modules into the simulator it shares', () => {
    const files = [...graph.keys()].map((file) => relative(ROOT, file));
    expect(files).toEqual(expect.arrayContaining(['services/simulator/behaviours/plan.ts', 'services/simulator/behaviours/traffic.ts', 'services/simulator/payments.ts', 'schemas/types.ts']));
  });

  it('reaches no module under rules/, directly or through another', () => {
    const rules = join(ROOT, 'rules') + sep;
    const offending = [...graph.keys()].filter((file) => file.startsWith(rules)).map((file) => chain(graph, file));
    expect(offending).toEqual([]);
  });
});
