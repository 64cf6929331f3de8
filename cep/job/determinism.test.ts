import fc from 'fast-check';
import type { ScoredTransaction } from '../../schemas/types';
import { JobTestDriver } from '../testing/job-test-driver';
import { INPUTS, arrival, drafts, logsOf } from '../testing/scenarios';
import type { TestRecord } from '../testing/job-test-driver';
import { defineJob } from './define-job';
import { scoringStage } from './scoring-stage';
import type { KeyedStage } from './types';

const BOUND_MS = 5_000;

type Output = { scored: ScoredTransaction } | { key: string; timer: number; eventsSeen: number };

/** A stage with per-key state and timers, so determinism covers the stage contract too. */
function countingStage(): KeyedStage<Output, { events: number }> {
  const scoring = scoringStage();
  return {
    state: {
      name: 'test.counter',
      isEmpty: (s) => s.events === 0,
      codec: { version: 1, encode: (s, out) => void out.uvarint(s.events), decode: (input) => ({ events: input.uvarint() }) },
    },
    onEvent(event, context) {
      const state = context.state ?? { events: 0 };
      state.events++;
      context.setState(state);
      if (event.kind !== 'transaction') return;
      scoring.onEvent(event, { ...context, emit: (scored: ScoredTransaction) => context.emit({ scored }) } as never);
      context.registerTimer(event.eventTime + 10_000);
    },
    onTimer(time, context) {
      context.emit({ key: context.key, timer: time, eventsSeen: context.state?.events ?? 0 });
      context.setState(undefined);
    },
  };
}

function job() {
  return defineJob({ inputs: INPUTS, outOfOrdernessMs: BOUND_MS, idleTimeoutMs: 60_000, stage: countingStage() });
}

function keyOf(output: Output): string {
  return 'scored' in output ? output.scored.transaction.accountId : output.key;
}

/** Outputs per key in emission order: the order a keyed output topic preserves. */
function byKey(outputs: readonly Output[]): Record<string, Output[]> {
  const grouped: Record<string, Output[]> = {};
  for (const output of outputs) (grouped[keyOf(output)] ??= []).push(output);
  return Object.fromEntries(Object.entries(grouped).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function run(batches: readonly TestRecord[][], partitions: number, options: { restartAfter?: number; clock?: number[] } = {}) {
  const driver = new JobTestDriver(job(), { partitions });
  batches.forEach((batch, index) => {
    driver.pipeBatch(batch);
    if (options.clock?.[index]) driver.advanceProcessingTime(options.clock[index]!);
    if (index === options.restartAfter) for (let p = 0; p < partitions; p++) driver.restartTask(p);
  });
  driver.endOfInput();
  return { outputs: driver.readOutput(), late: driver.lateRecords };
}

describe('event-time determinism', () => {
  it('gives identical output for any arrival order within the out-of-orderness bound, any partitioning and batch sizes', () => {
    const scenario = fc.integer({ min: 1, max: 3 }).chain((partitions) =>
      drafts().chain((events) => {
        const logs = logsOf(events, partitions, BOUND_MS);
        return fc.tuple(fc.constant(partitions), arrival(logs), arrival(logs));
      }),
    );
    fc.assert(
      fc.property(scenario, ([partitions, first, second]) => {
        const a = run(first, partitions);
        const b = run(second, partitions);
        expect(a.late).toBe(0);
        expect(b.late).toBe(0);
        expect(byKey(b.outputs)).toEqual(byKey(a.outputs));
        expect(JSON.stringify(byKey(b.outputs))).toBe(JSON.stringify(byKey(a.outputs)));
      }),
      { numRuns: 150 },
    );
  });

  it('decides late records the same whatever the order in which the partitions of a task arrive, and across restores', () => {
    const scenario = fc.integer({ min: 1, max: 3 }).chain((partitions) =>
      drafts().chain((events) => {
        // A bound smaller than the logs' disorder makes some records late.
        const logs = logsOf(events, partitions, BOUND_MS * 3);
        return fc.tuple(arrival(logs), arrival(logs)).chain(([first, second]) =>
          fc.tuple(
            fc.constant(partitions),
            fc.constant(first),
            fc.constant(second),
            fc.nat(second.length - 1),
            // Processing time that passes without making any partition idle: a backlog.
            fc.array(fc.constantFrom(0, 0, 1_000), { minLength: second.length, maxLength: second.length }),
          ),
        );
      }),
    );
    fc.assert(
      fc.property(scenario, ([partitions, first, second, restartAfter, clock]) => {
        const a = run(first, partitions);
        const b = run(second, partitions, { clock, restartAfter });
        expect(b.late).toBe(a.late);
        // Per key, as the keyed output topics keep them: tasks of different partitions interleave as they run.
        expect(JSON.stringify(byKey(b.outputs))).toBe(JSON.stringify(byKey(a.outputs)));
      }),
      { numRuns: 150 },
    );
  });

  it('continues after a restore from snapshot bytes exactly as an uninterrupted run on the same clock', () => {
    const scenario = fc.integer({ min: 1, max: 3 }).chain((partitions) =>
      drafts().chain((events) => {
        const logs = logsOf(events, partitions, BOUND_MS * 3);
        return arrival(logs).chain((batches) => fc.tuple(fc.constant(partitions), fc.constant(batches), fc.nat(batches.length - 1)));
      }),
    );
    fc.assert(
      fc.property(scenario, ([partitions, batches, restartAfter]) => {
        const uninterrupted = run(batches, partitions);
        const restored = run(batches, partitions, { restartAfter });
        expect(restored).toEqual(uninterrupted);
      }),
      { numRuns: 100 },
    );
  });
});
