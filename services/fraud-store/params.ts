// Validation of the API's path and query parameters. Every failure names the parameter and says what
// was expected, as a 400; unknown parameters are refused too, so a misspelt filter is never silently
// ignored.
import type { Decision } from '../../schemas';
import { invalidParameter } from '../shared/http';
import { alertCursor, timelineCursor, type AlertPosition, type CursorCodec, type TimelinePosition } from './cursor';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
const MAX_ID_LENGTH = 200;
const DECISIONS: readonly Decision[] = ['APPROVE', 'REVIEW', 'DECLINE'];
/** The query parameters each listing accepts; the OpenAPI document's test holds it to these. */
export const ALERT_QUERY_PARAMETERS = ['decision', 'rule', 'from', 'to', 'cursor', 'limit'] as const;
export const TIMELINE_QUERY_PARAMETERS = ['from', 'to', 'cursor', 'limit'] as const;

/** Event times in [from, to): epoch milliseconds. */
export interface TimeRange {
  readonly from?: number;
  readonly to?: number;
}

export interface AlertQuery extends TimeRange {
  readonly decision?: Decision;
  readonly rule?: string;
  readonly after?: AlertPosition;
  readonly limit: number;
}

export interface TimelineQuery extends TimeRange {
  readonly accountId: string;
  readonly after?: TimelinePosition;
  readonly limit: number;
}

type Query = Record<string, unknown>;

export function parseAlertQuery(query: Query): AlertQuery {
  const params = single(query, ALERT_QUERY_PARAMETERS);
  return {
    decision: params.decision === undefined ? undefined : parseDecision(params.decision),
    rule: params.rule === undefined ? undefined : parseId('rule', params.rule),
    ...parseRange(params),
    after: parseCursor(alertCursor, params.cursor),
    limit: parseLimit(params.limit),
  };
}

export function parseTimelineQuery(accountId: string, query: Query): TimelineQuery {
  const params = single(query, TIMELINE_QUERY_PARAMETERS);
  return {
    accountId: parseId('id', accountId),
    ...parseRange(params),
    after: parseCursor(timelineCursor, params.cursor),
    limit: parseLimit(params.limit),
  };
}

/** An identifier from the path or query: non-empty, bounded, printable. */
export function parseId(name: string, text: string): string {
  // eslint-disable-next-line no-control-regex
  if (text.length === 0 || text.length > MAX_ID_LENGTH || /[\u0000-\u001f\u007f]/.test(text)) {
    throw invalidParameter(name, `${name} must be 1 to ${MAX_ID_LENGTH} printable characters`);
  }
  return text;
}

/**
 * The known parameters as single strings. Express parses `?a=1&a=2` into an array and `?a[b]=1` into
 * an object; neither has a meaning here.
 */
function single(query: Query, known: readonly string[]): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(query)) {
    if (!known.includes(name)) throw invalidParameter(name, `unknown parameter ${name}; expected one of ${known.join(', ')}`);
    if (typeof value !== 'string') throw invalidParameter(name, `${name} must be given once, as a plain value`);
    params[name] = value;
  }
  return params;
}

function parseDecision(text: string): Decision {
  const decision = DECISIONS.find((d) => d === text);
  if (!decision) throw invalidParameter('decision', `decision must be one of ${DECISIONS.join(', ')}, got ${JSON.stringify(text)}`);
  return decision;
}

function parseRange(params: Record<string, string | undefined>): TimeRange {
  const from = params.from === undefined ? undefined : parseTime('from', params.from);
  const to = params.to === undefined ? undefined : parseTime('to', params.to);
  if (from !== undefined && to !== undefined && from > to) {
    throw invalidParameter('to', `to (${to}) must not be before from (${from})`);
  }
  return { from, to };
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Epoch milliseconds, or an ISO 8601 date or date-time with a zone (a date alone means UTC midnight). */
export function parseTime(name: string, text: string): number {
  const ms = /^\d{1,15}$/.test(text) ? Number(text) : ISO_8601.test(text) ? Date.parse(text) : NaN;
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw invalidParameter(name, `${name} must be epoch milliseconds or an ISO 8601 time with a zone, got ${JSON.stringify(text)}`);
  }
  return ms;
}

function parseLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LIMIT;
  const limit = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) {
    throw invalidParameter('limit', `limit must be an integer from 1 to ${MAX_LIMIT}, got ${JSON.stringify(text)}`);
  }
  return limit;
}

function parseCursor<P>(codec: CursorCodec<P>, text: string | undefined): P | undefined {
  if (text === undefined) return undefined;
  const position = codec.decode(text);
  if (!position) throw invalidParameter('cursor', 'cursor is not one this listing returned; pass nextCursor from the previous page');
  return position;
}
