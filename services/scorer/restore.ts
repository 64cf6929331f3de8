import type { ChangelogRecord, Job, Task } from '../../cep';
import type { RuleEngineOutput } from '../../cep/rules';
import type { RecordLog } from '../shared/stream';

/**
 * Rebuilds a task from its changelog partition, read committed to its end. Compaction may not have
 * run yet, so only the newest record per key counts, and a tombstone removes the key.
 */
export async function restoreTask(log: RecordLog, job: Job<RuleEngineOutput>, topic: string, partition: number): Promise<Task<RuleEngineOutput>> {
  const latest = new Map<string, Uint8Array | null>();
  await log.readToEnd({ topic, partition, offset: '0' }, (records) => {
    for (const record of records) {
      if (record.key === null) continue;
      latest.set(record.key.toString('utf8'), record.value === null ? null : new Uint8Array(record.value));
    }
  });
  const changelog: ChangelogRecord[] = [];
  for (const [key, value] of latest) if (value !== null) changelog.push({ key, value });
  const task = job.createTask(partition);
  task.restoreChangelog(changelog);
  return task;
}
