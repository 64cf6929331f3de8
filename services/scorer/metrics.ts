import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What the scorer reports on /metrics. Label values are bounded: topics, reasons, rule ids, decisions. */
export function createScorerMetrics(registry: Registry) {
  const registers = [registry];
  return {
    records: new Counter({ name: 'peregrine_scorer_input_records_total', help: 'Input records consumed', labelNames: ['topic'], registers }),
    scored: new Counter({ name: 'peregrine_scorer_scored_total', help: 'Transactions scored', labelNames: ['decision'], registers }),
    alerts: new Counter({ name: 'peregrine_scorer_alerts_total', help: 'Alerts written', registers }),
    late: new Counter({ name: 'peregrine_scorer_late_records_total', help: 'Records that arrived behind the watermark (scored, flagged late)', registers }),
    deadLetters: new Counter({ name: 'peregrine_scorer_dead_letters_total', help: 'Records sent to the dead-letter topic', labelNames: ['reason'], registers }),
    ruleHits: new Counter({ name: 'peregrine_scorer_rule_hits_total', help: 'Rule hits on scored transactions and alerts', labelNames: ['rule'], registers }),
    watermark: new Gauge({ name: 'peregrine_scorer_watermark_ms', help: 'Task watermark (event time, epoch ms)', labelNames: ['partition'], registers }),
    watermarkLag: new Gauge({ name: 'peregrine_scorer_watermark_lag_ms', help: 'Wall clock minus task watermark', labelNames: ['partition'], registers }),
    pending: new Gauge({ name: 'peregrine_scorer_pending_records', help: 'Records waiting for the watermark', labelNames: ['partition'], registers }),
    batchSeconds: new Histogram({
      name: 'peregrine_scorer_batch_seconds',
      help: 'Time to decode and score one batch (its transaction is timed apart)',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    transactionSeconds: new Histogram({
      name: 'peregrine_scorer_transaction_seconds',
      help: 'Time to encode, send and commit one transaction (the work of every batch staged while the previous one was on its way)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    decisionLatency: new Histogram({
      name: 'peregrine_scorer_decision_latency_seconds',
      help: 'Wall clock at commit minus event time of each scored transaction (includes the out-of-orderness wait)',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    restarts: new Counter({ name: 'peregrine_scorer_consumer_restarts_total', help: 'Consumer restarts after a crash', registers }),
    unhealthy: new Gauge({
      name: 'peregrine_scorer_unhealthy',
      help: 'Why /healthz fails: restarting (two or more consumer crashes within a minute), stalled (an assigned partition with records waiting made no progress for 30 s)',
      labelNames: ['reason'],
      registers,
    }),
    poisoned: new Counter({
      name: 'peregrine_scorer_poison_records_total',
      help: 'Records that failed their task twice and were found by narrowing, then dead-lettered (PROCESSING_FAILED)',
      registers,
    }),
    modelLoads: new Counter({
      name: 'peregrine_scorer_model_loads_total',
      help: 'Model directory loads by outcome: loaded (in service), refused (the previous model stays)',
      labelNames: ['outcome'],
      registers,
    }),
    held: new Counter({
      name: 'peregrine_scorer_held_ahead_records_total',
      help: 'Records too far ahead of their partition (AHEAD_BOUND_MS) to move its watermark: held until the watermark reaches them',
      registers,
    }),
    failures: new Counter({
      name: 'peregrine_scorer_discarded_outputs_total',
      help: 'Outputs of no input record discarded: a rule timer that threw (kind=timer), an account-level alert that could not be written (kind=output)',
      labelNames: ['kind'],
      registers,
    }),
  };
}

export type ScorerMetrics = ReturnType<typeof createScorerMetrics>;
