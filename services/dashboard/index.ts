// What hosts of the dashboard use: the standalone server (main.ts) and the embedded mode.
export { attachDashboard, type AttachedDashboard, type DashboardOptions } from './attach';
export { FLUSH_MS } from './batcher';
export { DEFAULT_GROUP_ID } from './ingest';
export type { LiveViewOptions } from './live-view';
export { DashboardEvent, type AlertRow, type DashboardFrame, type DashboardStats, type TransactionRow } from './protocol';
