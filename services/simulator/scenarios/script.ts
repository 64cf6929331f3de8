// The vocabulary scenarios are written in: a dedicated account, and payments, auth events and
// profile versions at offsets from the scenario's anchor. Each scenario names the event that
// completes it, which becomes its FraudLabel.
import type { AccountProfile, AuthEvent, AuthEventType, AuthStatus, FraudLabel, Transaction } from '../../../schemas/types';
import { categoryOf } from '../catalog';
import type { City } from '../geo';
import { authEventOf, transactionOf } from '../payments';
import { createAccount, type Account, type AccountSpec, type Ids, type Merchant, type Merchants } from '../population';
import type { Random } from '../random';
import { authRecord, labelRecord, profileRecord, transactionRecord, type SimRecord } from '../records';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A scenario or near-miss for one rule. */
export interface ScenarioKind {
  /** `<rule>` or `<rule>/<variant>` for a scenario, `<rule>/near-miss/<variant>` for a near-miss. */
  readonly name: string;
  readonly ruleId: string;
  /** false for a near-miss: the rule must not fire on the completing event. */
  readonly fraud: boolean;
  /** Upper bound of the time from the anchor to the completing event, to fit it inside the run. */
  readonly spanMs: number;
  write(script: ScenarioScript): void;
}

export function scenarioKind(ruleId: string, variant: string | null, fraud: boolean, spanMs: number, write: (s: ScenarioScript) => void): ScenarioKind {
  const name = variant === null ? ruleId : fraud ? `${ruleId}/${variant}` : `${ruleId}/near-miss/${variant}`;
  return { name, ruleId, fraud, spanMs, write };
}

export interface PaymentStep {
  readonly amountMinor: number;
  /** Merchant category; default groceries. */
  readonly mcc?: string;
  /** Where the merchant is; default the account's home city. */
  readonly city?: City;
  readonly card?: string;
  readonly authStatus?: AuthStatus;
  readonly deviceId?: string;
}

/** What one scenario instance publishes: its account's first profile, then its events and label. */
export interface WrittenScenario {
  readonly account: Account;
  readonly label: FraudLabel;
  /** The account's first profile version, and any event dated before the run (dormant history). */
  readonly history: readonly SimRecord[];
  readonly events: readonly SimRecord[];
}

export interface ScriptContext {
  readonly random: Random;
  readonly ids: Ids;
  readonly merchants: Merchants;
  /** The run's start: the account's profile must already be valid then. */
  readonly start: number;
  readonly anchor: number;
  /** Numbers the instance's event ids. */
  readonly instance: number;
}

export class ScenarioScript {
  readonly random: Random;
  readonly anchor: number;
  readonly #context: ScriptContext;
  readonly #records: SimRecord[] = [];
  #account: Account | undefined;
  #firstProfile: AccountProfile | undefined;
  #steps = 0;
  #completing: { id: string; time: number } | undefined;

  constructor(context: ScriptContext) {
    this.#context = context;
    this.random = context.random;
    this.anchor = context.anchor;
  }

  /**
   * Creates the dedicated account, which gets no baseline traffic. By default a low-risk account
   * with one card and a limit high enough that no scenario amount comes near over-limit.
   */
  open(spec: AccountSpec = {}): Account {
    if (this.#account) throw new Error('a scenario has exactly one account');
    const { random, ids, start } = this.#context;
    this.#account = createAccount(random, ids, start, { riskTier: 'LOW', creditLimitMinor: 1_000_000, cards: 1, ...spec });
    this.#firstProfile = this.#account.profile;
    return this.#account;
  }

  get account(): Account {
    return this.#account ?? this.open();
  }

  /** A merchant of the category in the city (the account's home city by default). */
  merchant(mcc: string, city: City = this.account.home): Merchant {
    return this.random.pick(this.#context.merchants.located(categoryOf(mcc), city));
  }

  pay(offsetMs: number, step: PaymentStep): Transaction {
    const transaction = transactionOf({
      transactionId: this.#context.ids.scenarioEvent('tx', this.#context.instance, ++this.#steps),
      account: this.account,
      merchant: this.merchant(step.mcc ?? '5411', step.city),
      amountMinor: step.amountMinor,
      eventTime: this.anchor + offsetMs,
      card: step.card,
      authStatus: step.authStatus,
      deviceId: step.deviceId,
    });
    this.#records.push(transactionRecord(transaction, 'scenario'));
    return transaction;
  }

  auth(offsetMs: number, type: AuthEventType, deviceId?: string): AuthEvent {
    const eventId = this.#context.ids.scenarioEvent('auth', this.#context.instance, ++this.#steps);
    const event = authEventOf(eventId, this.account, type, this.anchor + offsetMs, deviceId);
    this.#records.push(authRecord(event, 'scenario'));
    return event;
  }

  changeProfile(offsetMs: number, changes: Partial<Omit<AccountProfile, 'accountId' | 'updatedAt'>>): AccountProfile {
    const account = this.account;
    account.profile = { ...account.profile, ...changes, updatedAt: this.anchor + offsetMs };
    this.#records.push(profileRecord(account.profile, 'scenario'));
    return account.profile;
  }

  /** Names the event the rule fires on (or, for a near-miss, would have fired on). */
  complete(event: Transaction | AuthEvent): void {
    this.#completing = { id: 'transactionId' in event ? event.transactionId : event.eventId, time: event.eventTime };
  }

  finish(kind: ScenarioKind): WrittenScenario {
    if (!this.#completing) throw new Error(`scenario ${kind.name} did not name its completing event`);
    const account = this.account;
    const label: FraudLabel = {
      eventId: this.#completing.id,
      accountId: account.id,
      scenario: kind.name,
      expectedRuleId: kind.ruleId,
      fraud: kind.fraud,
      eventTime: this.#completing.time,
      instanceId: this.#context.ids.instance('scenario', this.#context.instance),
      behavioural: false,
    };
    const before = this.#records.filter((r) => r.timestamp < this.#context.start);
    const after = this.#records.filter((r) => r.timestamp >= this.#context.start);
    return {
      account,
      label,
      history: [profileRecord(this.#firstProfile!, 'scenario'), ...before],
      events: [...after, labelRecord(label, 'scenario')],
    };
  }
}
