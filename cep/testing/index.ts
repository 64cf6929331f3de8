export { authEvent, profile, transaction } from './fixtures';
export { JobTestDriver, type JobTestDriverOptions, type TestRecord, partitionOf } from './job-test-driver';
