// Values of command-line options shared by the project's commands: durations and points in time.

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "15m", "2h", "7d", "500ms", or plain seconds; `option` names the flag in the error. */
export function parseDuration(text: string, option = '--duration'): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw new Error(`${option} must look like 90s, 15m, 2h or 7d, got "${text}"`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 's']!);
}

/** An ISO time, epoch milliseconds, or "now"; `option` names the flag in the error. */
export function parseTime(text: string, now: () => number, option = '--start'): number {
  if (text === 'now') return now();
  if (/^\d+$/.test(text)) return Number(text);
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed)) throw new Error(`${option} must be an ISO time, epoch milliseconds or "now", got "${text}"`);
  return parsed;
}
