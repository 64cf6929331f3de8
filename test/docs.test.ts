// Keeps the README and docs/ honest about the code, so that the two cannot drift apart unnoticed:
// every environment variable, npm script, port, metric, topic, signal and dead-letter reason the code
// names is documented; every relative link and #anchor between the pages resolves, and the README
// links every page; docs/rules.md has an entry for every pattern operator; code shown from a file (a
// `snippet` comment before a code block) is that file's region, byte for byte; and no page tells the
// history of the work instead of describing the product.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import MarkdownIt from 'markdown-it';
import { Registry } from 'prom-client';
import { DeadLetterReason, Signal } from '../cep/job';
import { AfterMatchSkip, Pattern } from '../cep/pattern';
import { MODEL_SCORE_INVALID } from '../cep/model';
import { RuleSignal } from '../cep/rules';
import { createDashboardMetrics } from '../services/dashboard/metrics';
import { createStoreMetrics } from '../services/fraud-store/metrics';
import { RejectReason } from '../services/fraud-store/rejects';
import { createScorerMetrics } from '../services/scorer/metrics';
import { InvalidInputReason } from '../services/scorer/validation';
import { DecodeErrorCode } from '../services/shared/serde/errors';
import { changelogTopic, Topics } from '../services/shared/topics';

const ROOT = join(__dirname, '..');
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.kafka', 'coverage']);

/** Files under `dir` (relative to the root) whose path passes `keep`, recursively. */
function filesUnder(dir: string, keep: (path: string) => boolean = () => true): string[] {
  const absolute = join(ROOT, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : filesUnder(path, keep);
    return keep(path) ? [path] : [];
  });
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const PAGES = ['README.md', ...filesUnder('docs', (p) => p.endsWith('.md'))];
const DOCS = PAGES.map(read).join('\n');

/** Whether the docs name `word` as a whole word (`PORT` in `KAFKA_PORT` does not count). */
const documented = (word: string) => new RegExp(`(?<![\\w-])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w])`).test(DOCS);

/** Every distinct first group of the patterns' matches in the files. */
function scan(files: readonly string[], patterns: readonly RegExp[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of files) {
    const text = read(file);
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) if (!found.has(match[1]!)) found.set(match[1]!, file);
  }
  return found;
}

const isCode = (p: string) => /\.(ts|sh)$/.test(p);
// This file is left out: its patterns and examples name variables that nothing reads.
const CODE = [...['services', 'bench', 'scripts', 'test', 'docker'].flatMap((dir) => filesUnder(dir, isCode)), '.ci/run'].filter((p) => p !== 'test/docs.test.ts');

describe('environment variables', () => {
  const READS = [
    /process\.env\.([A-Z][A-Z0-9_]*)/g,
    /process\.env\[['"]([A-Z][A-Z0-9_]*)['"]\]/g,
    /\benv\.([A-Z][A-Z0-9_]*)/g,
    /\benv\[['"]([A-Z][A-Z0-9_]*)['"]\]/g,
    // envString(env, 'X', ...), envInt(env, 'X', ...) and any other env* helper.
    /\benv[A-Z]\w*\(\s*[\w.]+\s*,\s*['"]([A-Z][A-Z0-9_]*)['"]/g,
    // npm start's options: a flag, or else its variable.
    /\bpick\([^,()]+,\s*['"]([A-Z][A-Z0-9_]*)['"]\)/g,
    // Shell defaults: ${X:-default}.
    /\$\{([A-Z][A-Z0-9_]*):-/g,
  ];
  /** Read by the code but no setting: the test setup tells its teardown that it started a broker. */
  const NOT_SETTINGS = new Set(['PEREGRINE_TEST_STARTED_KAFKA']);
  const variables = scan(CODE, READS);

  it('finds the variables the code reads, through every way it reads them', () => {
    for (const name of ['KAFKA_BROKERS', 'SCORER_PORT', 'PORT', 'FRAUD_STORE_PORT', 'REGISTRY_PORT', 'LOG_LEVEL', 'KAFKA_HEAP_OPTS', 'BENCH_E2E_BACKLOG']) {
      expect([name, variables.has(name)]).toEqual([name, true]);
    }
  });

  it('documents every one of them', () => {
    const missing = [...variables].filter(([name]) => !NOT_SETTINGS.has(name) && !documented(name)).map(([name, file]) => `${name} (read in ${file})`);
    expect(missing).toEqual([]);
  });
});

describe('npm scripts', () => {
  const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);

  it('documents every script of package.json as the command that runs it', () => {
    // A lifecycle script runs by itself, so it is named rather than run.
    const commands = (name: string) => (name === 'postinstall' ? ['postinstall'] : name === 'start' || name === 'test' ? [`npm ${name}`, `npm run ${name}`] : [`npm run ${name}`]);
    const missing = scripts.filter((name) => !commands(name).some((command) => new RegExp(`${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-]|:\\w)`).test(DOCS)));
    expect(scripts).toContain('bench:e2e');
    expect(missing).toEqual([]);
  });
});

describe('ports', () => {
  const DEFAULTS = [
    // DEFAULT_PORT = 3000, envInt(env, 'SCORER_PORT', 8083), KAFKA_PORT="${KAFKA_PORT:-9092}", SCORER_PORT: 8083
    /\b[A-Z_]*PORT[A-Z_]*\b[^\d\n]{0,40}?\b(\d{4,5})\b/g,
    // Default addresses, and the addresses of docker compose's containers.
    /\b(?:127\.0\.0\.1|localhost|0\.0\.0\.0|kafka|postgres|schema-registry):(\d{4,5})\b/g,
    // Kafka listeners in docker compose: PLAINTEXT://:19092
    /:\/\/:(\d{4,5})\b/g,
    /\bEXPOSE\s+(\d{2,5})\b/g,
  ];
  // Tests listen on ephemeral ports; the ports that matter to a person are in the code they run.
  const files = [...CODE.filter((p) => !p.endsWith('.test.ts')), 'docker-compose.yml', 'docker-compose.override.yml', 'docker-compose.local.yml', 'Dockerfile'];
  const ports = scan(files, DEFAULTS);

  it('finds the ports the code and the compose file name', () => {
    for (const port of ['3000', '8081', '8082', '8083', '8084', '9092', '19092', '19792', '5432', '29093']) expect([port, ports.has(port)]).toEqual([port, true]);
  });

  it('documents every one of them', () => {
    const missing = [...ports].filter(([port]) => !new RegExp(`(?<!\\d)${port}(?!\\d)`).test(DOCS)).map(([port, file]) => `${port} (in ${file})`);
    expect(missing).toEqual([]);
  });
});

describe('names an operator meets', () => {
  it('documents every metric the services register', () => {
    const registry = new Registry();
    createScorerMetrics(registry);
    createStoreMetrics(registry);
    createDashboardMetrics(registry);
    const names = registry.getMetricsAsArray().map((metric) => metric.name);
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((name) => !documented(name))).toEqual([]);
  });

  it('documents every dead-letter and reject reason, and every signal', () => {
    const reasons = [
      ...Object.values(DecodeErrorCode),
      ...Object.values(InvalidInputReason),
      ...Object.values(DeadLetterReason),
      ...Object.values(RejectReason),
      ...Object.values(Signal),
      ...Object.values(RuleSignal),
      MODEL_SCORE_INVALID,
    ];
    expect(reasons.filter((reason) => !documented(reason))).toEqual([]);
  });

  it('documents every topic', () => {
    const topics = [...Object.values(Topics), changelogTopic('peregrine-scorer')];
    expect(topics.filter((topic) => !documented(topic))).toEqual([]);
  });
});

describe('the pattern DSL reference', () => {
  const rules = read('docs/rules.md');

  it('has an entry for every operator of Pattern and every after-match skip strategy', () => {
    const builder = Object.getOwnPropertyNames(Pattern.prototype).filter((name) => !['constructor', 'name', 'definition'].includes(name));
    expect(builder).toEqual(expect.arrayContaining(['where', 'followedByAny', 'notFollowedBy', 'allowCombinations', 'within']));
    const entries = [
      'Pattern.begin',
      ...builder.map((name) => `.${name}`),
      ...Object.keys(AfterMatchSkip).map((name) => `AfterMatchSkip.${name}`),
    ];
    expect(entries.filter((entry) => !rules.includes(`\`${entry}(`))).toEqual([]);
  });
});

const markdown = new MarkdownIt({ html: true });
type Token = ReturnType<typeof markdown.parse>[number];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a page's headings, with GitHub's -1, -2 suffixes for repeated ones. */
function anchorsOf(tokens: readonly Token[]): Set<string> {
  const anchors = new Set<string>();
  tokens.forEach((token, i) => {
    if (token.type !== 'heading_open') return;
    const text = (tokens[i + 1]!.children ?? []).map((child) => (child.type === 'text' || child.type === 'code_inline' ? child.content : '')).join('');
    const base = slug(text);
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  });
  return anchors;
}

/** Every link and image target of a page, in order. */
function targetsOf(tokens: readonly Token[]): string[] {
  return tokens.flatMap((token) =>
    (token.children ?? []).flatMap((child) => {
      if (child.type === 'link_open') return [String(child.attrGet('href') ?? '')];
      if (child.type === 'image') return [String(child.attrGet('src') ?? '')];
      return [];
    }),
  );
}

const parsed = new Map(PAGES.map((page) => [page, markdown.parse(read(page), {})]));

describe('links between the pages', () => {
  it.each(PAGES)('every relative link and anchor of %s resolves', (page) => {
    const broken: string[] = [];
    for (const target of targetsOf(parsed.get(page)!)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
      const [pathPart = '', anchor] = target.split('#');
      const path = pathPart === '' ? page : relative(ROOT, resolve(ROOT, dirname(page), decodeURIComponent(pathPart)));
      if (!existsSync(join(ROOT, path))) {
        broken.push(`${target}: no file ${path}`);
        continue;
      }
      if (anchor === undefined) continue;
      if (!path.endsWith('.md') || statSync(join(ROOT, path)).isDirectory()) {
        broken.push(`${target}: an anchor into a file that is not a page`);
        continue;
      }
      const tokens = parsed.get(path) ?? markdown.parse(read(path), {});
      if (!anchorsOf(tokens).has(anchor)) broken.push(`${target}: no heading #${anchor} in ${path}`);
    }
    expect(broken).toEqual([]);
  });

  it('the README links every page under docs/', () => {
    const linked = new Set(
      targetsOf(parsed.get('README.md')!)
        .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
        .map((target) => relative(ROOT, resolve(ROOT, target.split('#')[0]!))),
    );
    expect(PAGES.filter((page) => page.startsWith('docs') && !linked.has(page))).toEqual([]);
  });
});

/** The lines between `// #region name` and `// #endregion name`, nested markers left out, dedented. */
function region(file: string, name: string): string {
  const lines = read(file).split('\n');
  const start = lines.findIndex((line) => new RegExp(`^\\s*// #region ${name}\\b`).test(line));
  const end = lines.findIndex((line, i) => i > start && new RegExp(`^\\s*// #endregion ${name}\\b`).test(line));
  if (start < 0 || end < 0) throw new Error(`${file} has no region '${name}'`);
  const body = lines.slice(start + 1, end).filter((line) => !/^\s*\/\/ #(end)?region\b/.test(line));
  const indent = Math.min(...body.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length));
  return body.map((line) => line.slice(indent)).join('\n') + '\n';
}

describe('code shown in the pages', () => {
  const SNIPPET = /^<!--\s*snippet:\s*(\S+)#(\S+)\s*-->/;
  const snippets = PAGES.flatMap((page) => {
    const tokens = parsed.get(page)!;
    return tokens.flatMap((token, i) => {
      const found = token.type === 'html_block' ? SNIPPET.exec(token.content.trim()) : null;
      return found ? [{ page, file: found[1]!, name: found[2]!, block: tokens[i + 1] }] : [];
    });
  });

  it('shows code from the example files', () => {
    expect(snippets.map((s) => `${s.page} ${s.file}#${s.name}`)).toEqual(expect.arrayContaining(['docs/rules.md docs/examples/new-device-abroad.ts#rule']));
  });

  it.each(snippets.map((s) => [`${s.page}: ${s.file}#${s.name}`, s] as const))('%s is the region of the file, byte for byte', (_name, { file, name, block }) => {
    expect(block?.type).toBe('fence');
    expect(block!.content).toBe(region(file, name));
  });
});

describe('what the pages tell', () => {
  // Dated measurements are fine; the history of the work ("in the latest session", "until 2026-11-26
  // it was") belongs in commit messages.
  const HISTORY = /\b(?:this|latest|last|previous|earlier|next) sessions?\b|\bsessions? (?:before|ago)\b|\buntil \d{4}-\d{2}-\d{2}\b|\bas it was until\b/i;

  it.each(PAGES)('%s describes the product, not the history of the work', (page) => {
    const lines = read(page).split('\n').filter((line) => HISTORY.test(line));
    expect(lines).toEqual([]);
  });
});
