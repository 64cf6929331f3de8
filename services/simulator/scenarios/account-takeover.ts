// account-takeover (per account): a credential change (password, email, phone, new device) or a
// profile version with a new email or phone fingerprint, then a payment >= 100,000 within 30 min.
import type { AuthEventType } from '../../../schemas/types';
import { newDevice, newFingerprint } from '../population';
import { MINUTE, scenarioKind, type ScenarioKind, type ScenarioScript } from './script';

const RULE = 'account-takeover';
const CREDENTIAL_CHANGES: readonly AuthEventType[] = ['PASSWORD_CHANGE', 'EMAIL_CHANGE', 'PHONE_CHANGE', 'NEW_DEVICE'];

/** A login, then the change a minute later: a new device logs in with its own id. */
function credentialChange(s: ScenarioScript, type: AuthEventType): string {
  const device = type === 'NEW_DEVICE' ? newDevice(s.random) : s.account.devices[0]!;
  s.auth(0, 'LOGIN_SUCCESS', device);
  s.auth(MINUTE, type, device);
  if (type === 'NEW_DEVICE') s.account.devices.push(device);
  return device;
}

function bigTransfer(s: ScenarioScript, offsetMs: number, amountMinor: number, deviceId?: string): void {
  s.complete(s.pay(offsetMs, { amountMinor, mcc: '6012', deviceId }));
}

export const ACCOUNT_TAKEOVER: readonly ScenarioKind[] = [
  scenarioKind(RULE, null, true, 13 * MINUTE, (s) => {
    const device = credentialChange(s, s.random.pick(CREDENTIAL_CHANGES));
    bigTransfer(s, 13 * MINUTE, s.random.int(120_000, 300_000), device);
  }),
  scenarioKind(RULE, 'contact-change', true, 21 * MINUTE, (s) => {
    s.changeProfile(MINUTE, s.random.chance(0.5) ? { emailFingerprint: newFingerprint(s.random) } : { phoneFingerprint: newFingerprint(s.random) });
    bigTransfer(s, 21 * MINUTE, s.random.int(120_000, 300_000));
  }),
  scenarioKind(RULE, 'after-31-minutes', false, 32 * MINUTE, (s) => {
    credentialChange(s, 'PASSWORD_CHANGE');
    bigTransfer(s, 32 * MINUTE, s.random.int(120_000, 300_000));
  }),
  scenarioKind(RULE, 'below-100000', false, 6 * MINUTE, (s) => {
    credentialChange(s, 'PASSWORD_CHANGE');
    bigTransfer(s, 6 * MINUTE, 99_999);
  }),
  // A new profile version that changes neither email nor phone is no takeover signal.
  scenarioKind(RULE, 'limit-change-only', false, 11 * MINUTE, (s) => {
    s.changeProfile(MINUTE, { creditLimitMinor: s.account.profile.creditLimitMinor + 200_000 });
    bigTransfer(s, 11 * MINUTE, s.random.int(120_000, 300_000));
  }),
];
