// A rule pack in another repository depends on the engine as a package. This test does what such a
// repository does, outside this one: it builds and packs @peregrine/cep (packages/cep), installs the
// tarball into a copy of examples/rule-pack, type-checks the pack against the package's declarations
// and runs the pack's own tests with its own jest. It fails if the engine's public API stops exporting
// what the pack imports, if the declarations do not compile, or if the pack's rules behave otherwise.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const EXAMPLE = join(ROOT, 'examples', 'rule-pack');

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, NODE_ENV: 'test' } });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

describe('the engine package', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'peregrine-engine-package-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('builds, packs, and serves a rule pack in another repository: its types check and its tests pass', () => {
    const engine = join(work, 'engine');
    cpSync(join(ROOT, 'packages', 'cep', 'package.json'), join(engine, 'package.json'));
    run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'packages', 'cep', 'tsconfig.json'), '--outDir', join(engine, 'dist')], ROOT);
    const tarball = run('npm', ['pack', engine, '--pack-destination', work, '--silent'], work).trim().split('\n').pop()!;

    const pack = join(work, 'rule-pack');
    cpSync(EXAMPLE, pack, { recursive: true, filter: (source) => !source.includes('node_modules') });
    const manifest = JSON.parse(readFileSync(join(pack, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    manifest.dependencies['@peregrine/cep'] = `file:${join(work, tarball)}`;
    writeFileSync(join(pack, 'package.json'), JSON.stringify(manifest, null, 2));
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], pack);

    // The pack compiles against the package's declarations, not the engine's sources.
    expect(readFileSync(join(pack, 'node_modules', '@peregrine', 'cep', 'package.json'), 'utf8')).toContain('"types": "./dist/cep/index.d.ts"');
    run('npm', ['run', '--silent', 'typecheck'], pack);
    const tests = run('npm', ['test', '--silent', '--', '--ci', '--json'], pack);
    const report = JSON.parse(tests.slice(tests.indexOf('{'))) as { success: boolean; numPassedTests: number; numFailedTests: number };
    expect(report).toMatchObject({ success: true, numFailedTests: 0 });
    expect(report.numPassedTests).toBeGreaterThanOrEqual(4);
  }, 300_000);
});
