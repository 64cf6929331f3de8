export { prepareSimulation, runSimulation, simulatorTopics, type SimulationDeps, type SimulationProgress, type SimulationRun } from './run';
export { resolveOptions, DEFAULT_START, type SimulationConfig, type SimulationOptions } from './options';
export { createSimulatorTopics } from './kafka-topics';
export { MALFORMED_KINDS, type ExpectedDeadLetterReason, type MalformedKind } from './malformed';
export { Simulation } from './simulation';
export type { RunSummary } from './summary';
