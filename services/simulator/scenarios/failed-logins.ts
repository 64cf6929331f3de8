// failed-logins (per account): >= 11 LOGIN_FAILURE events within 60 s; the 11th raises the alert.
import { SECOND, scenarioKind, type ScenarioKind, type ScenarioScript } from './script';

const RULE = 'failed-logins';

function failures(s: ScenarioScript, count: number, gapMs: number): void {
  // A credential-stuffing bot rotates devices; the account still sees every attempt.
  let last;
  for (let i = 0; i < count; i++) last = s.auth(i * gapMs, 'LOGIN_FAILURE', `dev-${s.random.hex(10)}`);
  s.complete(last!);
}

export const FAILED_LOGINS: readonly ScenarioKind[] = [
  scenarioKind(RULE, null, true, 50 * SECOND, (s) => failures(s, 11, 5 * SECOND)),
  scenarioKind(RULE, 'ten-failures', false, 45 * SECOND, (s) => failures(s, 10, 5 * SECOND)),
  // Eleven, but 7 s apart: any 60 s holds at most nine of them.
  scenarioKind(RULE, 'over-seventy-seconds', false, 70 * SECOND, (s) => failures(s, 11, 7 * SECOND)),
];
