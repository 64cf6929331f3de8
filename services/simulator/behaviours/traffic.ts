// Plays the planned instances as the run reaches their time: each step becomes its records then,
// numbered in the same id sequences as ordinary traffic, and every payment of a fraud instance is
// followed by its label.
import type { FraudLabel } from '../../../schemas/types';
import { authEventOf, transactionOf } from '../payments';
import type { Ids } from '../population';
import { authRecord, labelRecord, profileRecord, transactionRecord, type SimRecord } from '../records';
import { TimeQueue } from '../time-queue';
import type { PlannedInstance } from './plan';
import type { Step } from './story';

export class BehaviouralTraffic {
  readonly #ids: Ids;
  readonly #due = new TimeQueue<{ readonly step: Step; readonly instance: PlannedInstance }>();

  constructor(instances: readonly PlannedInstance[], ids: Ids) {
    this.#ids = ids;
    for (const instance of instances) for (const step of instance.steps) this.#due.push(step.at, { step, instance });
  }

  /** Queues the records of every step due by `at` in `later`, at their event time among the others. */
  advance(at: number, later: TimeQueue<SimRecord>): void {
    for (const { step, instance } of this.#due.popUntil(at)) this.#play(step, instance, later);
  }

  #play(step: Step, instance: PlannedInstance, later: TimeQueue<SimRecord>): void {
    const { account } = instance;
    switch (step.kind) {
      case 'payment': {
        const { merchant, amountMinor, card, authStatus, deviceId, ip, credit } = step;
        const transaction = transactionOf({ transactionId: this.#ids.nextEvent('tx'), account, merchant, amountMinor, eventTime: step.at, card, authStatus, deviceId, ip, credit });
        later.push(step.at, transactionRecord(transaction, 'behaviour'));
        if (!instance.behaviour.fraud) return;
        const label: FraudLabel = {
          eventId: transaction.transactionId,
          accountId: account.id,
          scenario: instance.behaviour.name,
          expectedRuleId: null,
          fraud: true,
          eventTime: step.at,
          instanceId: instance.id,
          behavioural: true,
        };
        later.push(step.at, labelRecord(label, 'behaviour'));
        return;
      }
      case 'auth':
        later.push(step.at, authRecord(authEventOf(this.#ids.nextEvent('auth'), account, step.type, step.at, step.deviceId, step.origin), 'behaviour'));
        return;
      case 'contact-change':
        // Another version may already be queued for this instant or later; never publish one out of order.
        account.profile = { ...account.profile, [step.field]: step.fingerprint, updatedAt: Math.max(step.at, account.profile.updatedAt + 1) };
        later.push(account.profile.updatedAt, profileRecord(account.profile, 'behaviour'));
        return;
    }
  }
}
