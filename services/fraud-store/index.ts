// What other processes use of the fraud store: the embedded mode starts it on its own database handle.
export { createFraudStoreApp, type FraudStoreAppOptions } from './api';
export { poolDatabase, type StoreDatabase } from './database';
export { DEFAULT_GROUP_ID, type IngestState } from './ingest';
export { migrateStore, MIGRATIONS_DIR } from './schema';
export { startFraudStore, type FraudStoreOptions, type RunningFraudStore } from './service';
