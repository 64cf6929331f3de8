import { kafkaScript } from './services';

export default async function globalTeardown(): Promise<void> {
  if (process.env.PEREGRINE_TEST_STARTED_KAFKA === '1') kafkaScript('stop');
}
