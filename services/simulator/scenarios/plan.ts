// Spreads the scenario instances over the run: each gets its own account and an anchor chosen so
// that it completes before the run ends whenever the run is long enough to hold it.
import type { Ids, Merchants } from '../population';
import type { Random } from '../random';
import { SCENARIO_KINDS } from './catalog';
import { ScenarioScript, type ScenarioKind, type WrittenScenario } from './script';

/**
 * `shuffled` interleaves all instances at random. `shortest-first` plays them in rounds of one
 * instance of every kind, each round ordered by span: the quickest scenarios complete within seconds
 * of the start and every kind recurs each round, which suits a live run that a person watches.
 */
export type ScenarioOrder = 'shuffled' | 'shortest-first';

export interface ScenarioPlanOptions {
  readonly random: Random;
  readonly ids: Ids;
  readonly merchants: Merchants;
  readonly start: number;
  /** Event time the baseline covers. */
  readonly runSpanMs: number;
  /** Instances of every kind. */
  readonly perKind: number;
  readonly kinds?: readonly ScenarioKind[];
  /** Default `shuffled`. */
  readonly order?: ScenarioOrder;
}

export function planScenarios({ random, ids, merchants, start, runSpanMs, perKind, kinds = SCENARIO_KINDS, order = 'shuffled' }: ScenarioPlanOptions): WrittenScenario[] {
  const instances = order === 'shuffled' ? shuffled(random, kinds, perKind) : shortestFirstRounds(kinds, perKind);
  return instances.map((kind, index) => {
    const room = Math.max(0, runSpanMs - kind.spanMs);
    const anchor = start + Math.floor(((index + 0.5) / instances.length) * room);
    const script = new ScenarioScript({ random, ids, merchants, start, anchor, instance: index + 1 });
    kind.write(script);
    return script.finish(kind);
  });
}

function shuffled(random: Random, kinds: readonly ScenarioKind[], perKind: number): ScenarioKind[] {
  const instances = kinds.flatMap((kind) => Array.from({ length: perKind }, () => kind));
  // Fisher-Yates, so that the kinds are interleaved over the run rather than grouped.
  for (let i = instances.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [instances[i], instances[j]] = [instances[j]!, instances[i]!];
  }
  return instances;
}

function shortestFirstRounds(kinds: readonly ScenarioKind[], perKind: number): ScenarioKind[] {
  // A stable sort: kinds of equal span keep their catalog order.
  const round = [...kinds].sort((a, b) => a.spanMs - b.spanMs);
  return Array.from({ length: perKind }, () => round).flat();
}
