// What other processes use of the fraud store: the embedded mode runs its consumer and mounts its
// routes on its own server, with its own database handle and metrics registry.
export { createFraudStoreApp, fraudStoreApi, fraudStoreHealthChecks, type FraudStoreAppOptions } from './api';
export { poolDatabase, type StoreDatabase } from './database';
export { DEFAULT_GROUP_ID, StoreIngest, type IngestState } from './ingest';
export { createStoreMetrics } from './metrics';
export { openPgliteStore, openPostgresStore, type OpenStoreDatabase } from './open';
export { DEFAULT_STORE_RETENTION, IN_MEMORY_STORE_RETENTION, retentionFromEnv, startRetention, type StoreRetention } from './retention';
export { migrateStore, MIGRATIONS_DIR } from './schema';
export { consumerHealth, startFraudStore, type FraudStoreOptions, type RunningFraudStore } from './service';
