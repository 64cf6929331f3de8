// Every scenario and near-miss the simulator can inject: at least one of each per starter rule.
import { ACCOUNT_TAKEOVER } from './account-takeover';
import { CARD_TESTING } from './card-testing';
import { DORMANT_BURST } from './dormant-burst';
import { FAILED_LOGINS } from './failed-logins';
import { HIGH_RISK_MCC_SPREE } from './high-risk-mcc-spree';
import { IMPOSSIBLE_TRAVEL } from './impossible-travel';
import { LOGIN_DECLINE_LOCKOUT } from './login-decline-lockout';
import { OVER_LIMIT } from './over-limit';
import type { ScenarioKind } from './script';
import { VELOCITY_BURST } from './velocity-burst';

export const SCENARIO_KINDS: readonly ScenarioKind[] = [
  ...CARD_TESTING,
  ...VELOCITY_BURST,
  ...IMPOSSIBLE_TRAVEL,
  ...ACCOUNT_TAKEOVER,
  ...FAILED_LOGINS,
  ...LOGIN_DECLINE_LOCKOUT,
  ...HIGH_RISK_MCC_SPREE,
  ...DORMANT_BURST,
  ...OVER_LIMIT,
];
