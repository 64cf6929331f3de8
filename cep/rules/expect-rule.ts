import type { AccountProfile, AuthEvent, RuleHit, Transaction } from '../../schemas/types';
import { defineJob } from '../job/define-job';
import type { InputSpec } from '../job/types';
import { JobTestDriver, type TestRecord } from '../testing/job-test-driver';
import { transactionAlertId } from './alerts';
import type { Rule } from './rule';
import { type RuleEngineOptions, type RuleEngineOutput, ruleEngineStage } from './rule-engine-stage';
import { rulePack } from './rule-pack';

/** What a rule test feeds: build them with the `transaction`, `authEvent` and `profile` fixtures. */
export type RuleTestInput = Transaction | AuthEvent | AccountProfile;

const INPUTS: readonly InputSpec[] = [
  { topic: 'accounts.profiles', kind: 'profile' },
  { topic: 'auth.events', kind: 'auth' },
  { topic: 'payments.transactions', kind: 'transaction' },
];

/**
 * Tests one rule in a few lines, through the real job pipeline (watermarks, profile join,
 * velocity features, the rule engine stage) of a pack holding only that rule:
 *
 *     expectRule(rule).given([transaction({ ... }), authEvent({ ... })]).toHit('tx-3');
 */
export function expectRule(rule: Rule, options: RuleEngineOptions = {}): { given(inputs: readonly RuleTestInput[]): RuleTestRun } {
  return { given: (inputs) => new RuleTestRun(rule, inputs, options) };
}

/** The outputs of one run, and assertions on where the rule fired. */
export class RuleTestRun {
  readonly outputs: readonly RuleEngineOutput[];
  readonly #rule: Rule;

  constructor(rule: Rule, inputs: readonly RuleTestInput[], options: RuleEngineOptions) {
    this.#rule = rule;
    const job = defineJob({ inputs: INPUTS, outOfOrdernessMs: 0, idleTimeoutMs: 60_000, stage: ruleEngineStage(rulePack([rule]), options) });
    const driver = new JobTestDriver(job, { partitions: 1 });
    // One batch: nothing is late, and the watermark releases the inputs in event-time order.
    driver.pipeBatch(inputs.map(toRecord)).endOfInput();
    this.outputs = driver.readOutput();
  }

  /** Ids of the events the rule fired on, in output order: scored transactions, and the completing event of account-level alerts. */
  hitEventIds(): string[] {
    return this.#hits().map(([id]) => id);
  }

  /** The rule's hit on an event, for assertions on evidence and explanation. */
  hitOn(eventId: string): RuleHit {
    const hit = this.#hits().find(([id]) => id === eventId)?.[1];
    if (hit === undefined) throw new Error(`rule '${this.#rule.id}' did not fire on '${eventId}'; it fired on [${this.hitEventIds().join(', ')}]`);
    return hit;
  }

  /** Asserts the rule fired exactly on these events, in this order. */
  toHit(...eventIds: string[]): this {
    const actual = this.hitEventIds();
    if (actual.join('\u0000') !== eventIds.join('\u0000')) {
      throw new Error(`rule '${this.#rule.id}' should fire on [${eventIds.join(', ')}] but fired on [${actual.join(', ')}]`);
    }
    return this;
  }

  toNotHit(): this {
    return this.toHit();
  }

  #hits(): [string, RuleHit][] {
    const hits: [string, RuleHit][] = [];
    for (const output of this.outputs) {
      if (output.kind === 'scored') {
        const hit = output.value.ruleHits.find((h) => h.ruleId === this.#rule.id);
        if (hit !== undefined) hits.push([output.value.transaction.transactionId, hit]);
      } else if (output.value.transactionId === null || output.value.alertId !== transactionAlertId(output.value.transactionId)) {
        const hit = output.value.ruleHits[0]!;
        const stage = hit.stages[hit.stages.length - 1]!;
        hits.push([stage.eventIds[stage.eventIds.length - 1]!, hit]);
      }
    }
    return hits;
  }
}

function toRecord(input: RuleTestInput): TestRecord {
  if ('transactionId' in input) return { topic: 'payments.transactions', key: input.accountId, eventTime: input.eventTime, value: input };
  if ('updatedAt' in input) return { topic: 'accounts.profiles', key: input.accountId, eventTime: input.updatedAt, value: input };
  return { topic: 'auth.events', key: input.accountId, eventTime: input.eventTime, value: input };
}
