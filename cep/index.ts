/**
 * Peregrine's CEP engine: what a rule author and an embedding program use.
 *
 * - Patterns: {@link Pattern} (FlinkCEP's pattern API: contiguity, quantifiers, groups,
 *   `within`), {@link AfterMatchSkip}, {@link WithinType}, simple conditions and {@link iterative}
 *   ones; {@link CepHarness} runs one pattern over events, without a pipeline.
 * - Rules: {@link defineRule}, the pattern-event conditions ({@link isTransaction}, {@link isAuth},
 *   ...), {@link rulePack} and {@link loadRulePack}, {@link ruleEngineStage}; {@link expectRule}
 *   tests one rule through the real pipeline.
 * - Jobs: {@link defineJob} builds a keyed event-time job (watermarks, profile join, velocity and
 *   session features, a stage such as the rule engine); {@link JobTestDriver} drives it without a
 *   broker, and the fixtures ({@link transaction}, {@link authEvent}, {@link profile}) build inputs.
 * - Scoring: the feature vector and the tree-ensemble model.
 *
 * The engine is pure: no I/O, event time as its only clock. Internals (operators' state layouts,
 * the intake, the stage runner, the automaton compiler) stay behind the part barrels' exports.
 *
 * @packageDocumentation
 */
export * from './errors';
export * from './features';
export * from './job';
export * from './join';
export * from './model';
export { CepHarness, CepHarnessBuilder, describeMatches, type Match, type TimedEvent, type TimedOutMatch } from './nfa';
export * from './pattern';
export * from './rules';
export * from './state';
export * from './testing';
export * from './time';
export * from './velocity';
