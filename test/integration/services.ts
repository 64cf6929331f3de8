// Where integration tests find their real services. Both default to this machine's local servers;
// neither is ever replaced by an in-memory stand-in, so a missing service fails the run loudly.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const TEST_KAFKA_PORT = Number(process.env.PEREGRINE_TEST_KAFKA_PORT ?? 19092);
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function kafkaScript(name: 'start' | 'stop'): void {
  execFileSync('bash', [join(ROOT, 'scripts', 'kafka', `${name}.sh`)], {
    stdio: 'inherit',
    env: { ...process.env, KAFKA_PORT: String(TEST_KAFKA_PORT) },
  });
}
