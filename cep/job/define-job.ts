import type { ScoredTransaction } from '../../schemas/types';
import { type JobConfig, type JobSettings, resolveSettings } from './job-settings';
import { scoringStage } from './scoring-stage';
import { Task } from './task';
import type { KeyedStage } from './types';

/** A validated job definition: the factory of its tasks, one per input partition number. */
export class Job<Out> {
  readonly settings: JobSettings<Out, unknown>;

  constructor(settings: JobSettings<Out, unknown>) {
    this.settings = settings;
  }

  createTask(partition: number): Task<Out> {
    return new Task(this.settings, partition);
  }
}

/** Validates a job configuration (throws INVALID_JOB_CONFIG) and applies defaults; without a stage, transactions are scored by `scoringStage`. */
export function defineJob(config: JobConfig<ScoredTransaction, never> & { readonly stage?: undefined }): Job<ScoredTransaction>;
export function defineJob<Out, S>(config: JobConfig<Out, S> & { readonly stage: KeyedStage<Out, S> }): Job<Out>;
export function defineJob<Out, S>(config: JobConfig<Out, S>): Job<Out> {
  const stage = (config.stage ?? scoringStage()) as KeyedStage<Out, unknown>;
  return new Job(resolveSettings<Out, unknown>(config as JobConfig<Out, unknown>, stage));
}
