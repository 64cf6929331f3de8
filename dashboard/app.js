// Keeps the page in step with the server: a snapshot on every (re)connect replaces what is shown,
// then each update adds its new rows and replaces the figures. Frames are described in
// services/dashboard/protocol.ts.
import { renderAlerts, renderConnection, renderLag, renderStats, renderTransactions } from './render.js';

// As many rows as the server keeps by default (services/dashboard/live-view.ts).
const MAX_TRANSACTIONS = 50;
const MAX_ALERTS = 20;

const view = { transactions: [], alerts: [], lagMs: null, lagReceivedAt: 0 };

/** Rows of an update the snapshot already held (it was taken between two updates) are dropped. */
function merge(current, incoming, max) {
  const newest = current.length > 0 ? current[0].seq : 0;
  return [...incoming.filter((row) => row.seq > newest), ...current].slice(0, max);
}

function newestSeq(rows) {
  return rows.length > 0 ? rows[0].seq : 0;
}

function show(frame, previous) {
  renderStats(frame.stats, frame.serverTime);
  if (frame.transactions.length > 0 || previous === null) renderTransactions(view.transactions, previous?.transactions ?? Infinity);
  if (frame.alerts.length > 0 || previous === null) renderAlerts(view.alerts, previous?.alerts ?? Infinity);
  view.lagMs = frame.stats.watermarkLagMs;
  view.lagReceivedAt = Date.now();
  renderLag(view.lagMs);
}

const socket = window.io({ transports: ['websocket'] });

socket.on('connect', () => renderConnection('live', 'Live'));
socket.on('disconnect', () => renderConnection('offline', 'Reconnecting'));
socket.io.on('reconnect_attempt', () => renderConnection('connecting', 'Reconnecting'));

socket.on('snapshot', (frame) => {
  view.transactions = frame.transactions.slice(0, MAX_TRANSACTIONS);
  view.alerts = frame.alerts.slice(0, MAX_ALERTS);
  show(frame, null);
});

socket.on('update', (frame) => {
  const previous = { transactions: newestSeq(view.transactions), alerts: newestSeq(view.alerts) };
  view.transactions = merge(view.transactions, frame.transactions, MAX_TRANSACTIONS);
  view.alerts = merge(view.alerts, frame.alerts, MAX_ALERTS);
  show(frame, previous);
});

// Between updates the lag keeps growing: a stalled pipeline must not look current.
setInterval(() => {
  if (view.lagMs !== null && socket.connected) renderLag(view.lagMs + (Date.now() - view.lagReceivedAt));
}, 500);
