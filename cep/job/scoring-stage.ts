import type { ScoredTransaction } from '../../schemas/types';
import type { KeyedStage } from './types';

/**
 * The stage a job gets when it names none: every transaction is scored as it stands, with no
 * rules (score 0, APPROVE), carrying its profile, features, signals and decision time. Profile
 * versions and auth events change state upstream but emit nothing.
 */
export function scoringStage(): KeyedStage<ScoredTransaction> {
  return {
    onEvent(event, context) {
      if (event.kind !== 'transaction') return;
      context.emit({
        transaction: event.value,
        profile: event.profile,
        features: event.features,
        ruleHits: [],
        signals: event.signals,
        score: 0,
        decision: 'APPROVE',
        model: null,
        late: event.late,
        watermark: event.watermark,
      });
    },
  };
}
