// Spreads the scenario instances over the run: each gets its own account and an anchor chosen so
// that it completes before the run ends whenever the run is long enough to hold it.
import type { Ids, Merchants } from '../population';
import type { Random } from '../random';
import { SCENARIO_KINDS } from './catalog';
import { ScenarioScript, type ScenarioKind, type WrittenScenario } from './script';

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
}

export function planScenarios({ random, ids, merchants, start, runSpanMs, perKind, kinds = SCENARIO_KINDS }: ScenarioPlanOptions): WrittenScenario[] {
  const instances = kinds.flatMap((kind) => Array.from({ length: perKind }, () => kind));
  // Fisher-Yates, so that the kinds are interleaved over the run rather than grouped.
  for (let i = instances.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [instances[i], instances[j]] = [instances[j]!, instances[i]!];
  }
  return instances.map((kind, index) => {
    const room = Math.max(0, runSpanMs - kind.spanMs);
    const anchor = start + Math.floor(((index + 0.5) / instances.length) * room);
    const script = new ScenarioScript({ random, ids, merchants, start, anchor, instance: index + 1 });
    kind.write(script);
    return script.finish(kind);
  });
}
