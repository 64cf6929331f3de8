import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeBlock, readmeSection } from './readme';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

describe("the README's commands, as npm run test:fresh reads them", () => {
  it('reads the quick start and the test command', () => {
    const quickStart = readmeSection(README, '## Quick start');
    expect(codeBlock(quickStart, 'bash')).toBe('npm ci && npm start');
    expect(codeBlock(quickStart, 'bash', 1)).toBe('npm test');
  });

  it('reads the prerequisites as one apt-get command', () => {
    expect(codeBlock(readmeSection(README, '### Prerequisites'), 'bash')).toMatch(/^apt-get install -y .*\bmaven\b.*\bpostgresql\b.*\bchromium\b/s);
  });

  it('ends a section at the next heading of its level or above, not at a deeper one', () => {
    const text = '# A\n## B\nb1\n### C\nc1\n## D\nd1\n';
    expect(readmeSection(text, '## B')).toBe('b1\n### C\nc1');
    expect(readmeSection(text, '### C')).toBe('c1');
    expect(() => readmeSection(text, '## E')).toThrow('the README has no "## E" section');
  });

  it('takes the n-th block of a language and says when there is none', () => {
    const text = '```bash\none\n```\n```ts\nx\n```\n```bash\ntwo\nlines\n```\n';
    expect(codeBlock(text, 'bash', 1)).toBe('two\nlines');
    expect(() => codeBlock(text, 'bash', 2)).toThrow('no bash code block number 3');
  });
});
