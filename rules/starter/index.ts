// The starter rule pack. Modules are listed here, not discovered, so that the engine reads no
// files and a rule missing from the pack is a compile-time fact.
//
// Thresholds are exported by each module for the simulator. Windows follow FlinkCEP: a pattern
// `within(W)` matches when its last event is less than W after its first, so a match spanning
// exactly W is a near-miss. Look-back features cover (t - 60 s, t], the transaction included.
// Late transactions are scored by feature rules only (signal `late-pattern-skipped`).
import { loadRulePack } from '../../cep/rules';
import * as accountTakeover from './account-takeover';
import * as cardTesting from './card-testing';
import * as dormantBurst from './dormant-burst';
import * as failedLogins from './failed-logins';
import * as highRiskMccSpree from './high-risk-mcc-spree';
import * as impossibleTravel from './impossible-travel';
import * as loginDeclineLockout from './login-decline-lockout';
import * as overLimit from './over-limit';
import * as velocityBurst from './velocity-burst';

export const starterPack = loadRulePack({
  'account-takeover': accountTakeover,
  'card-testing': cardTesting,
  'dormant-burst': dormantBurst,
  'failed-logins': failedLogins,
  'high-risk-mcc-spree': highRiskMccSpree,
  'impossible-travel': impossibleTravel,
  'login-decline-lockout': loginDeclineLockout,
  'over-limit': overLimit,
  'velocity-burst': velocityBurst,
});
