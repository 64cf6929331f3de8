// The README's commands, read the way a newcomer reads them: a section by its heading, and the code
// blocks in it, in order.

/** The text under a heading, up to the next heading of the same or a higher level. */
export function readmeSection(markdown: string, heading: string): string {
  const level = /^#+/.exec(heading)![0].length;
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) throw new Error(`the README has no "${heading}" section`);
  const end = lines.findIndex((line, i) => i > start && /^#+ /.test(line) && /^#+/.exec(line)![0].length <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The n-th fenced code block of a language in a section, without its fences. */
export function codeBlock(section: string, language: string, n = 0): string {
  const blocks = [...section.matchAll(new RegExp('^```' + language + '\\n([\\s\\S]*?)^```', 'gm'))].map((match) => match[1]!.trim());
  if (blocks[n] === undefined) throw new Error(`the README section has no ${language} code block number ${n + 1}`);
  return blocks[n];
}
