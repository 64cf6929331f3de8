import { parseDuration, parseTime } from './cli';

describe('command-line values', () => {
  it('reads durations and start times', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('30')).toBe(30_000);
    expect(parseDuration('7d')).toBe(7 * 86_400_000);
    expect(() => parseDuration('soon')).toThrow('--duration');
    expect(parseTime('now', () => 1234)).toBe(1234);
    expect(parseTime('1767225600000', () => 0)).toBe(1_767_225_600_000);
    expect(parseTime('2026-01-01T00:00:00Z', () => 0)).toBe(Date.UTC(2026, 0, 1));
    expect(() => parseTime('yesterday', () => 0)).toThrow('--start');
  });

  it('names the option in its errors', () => {
    expect(() => parseDuration('soon', '--warmup')).toThrow('--warmup must look like');
    expect(() => parseTime('soon', () => 0, '--from')).toThrow('--from must be an ISO time');
  });
});
