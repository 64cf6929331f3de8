// Opaque page cursors for keyset pagination: the sort key of the last item a page returned, so the
// next page starts strictly after it. Unlike OFFSET, rows arriving meanwhile neither shift a page
// nor show up twice. A cursor names the listing it belongs to, so one listing refuses another's.

export interface AlertPosition {
  readonly eventTime: number;
  readonly alertId: string;
}

/** At equal event time, a transaction sorts before the alerts it caused. */
export type TimelineEntryType = 'transaction' | 'alert';

export interface TimelinePosition {
  readonly eventTime: number;
  readonly type: TimelineEntryType;
  readonly id: string;
}

export interface CursorCodec<P> {
  encode(position: P): string;
  /** The position, or undefined when `text` is not a cursor of this listing. */
  decode(text: string): P | undefined;
}

function cursorCodec<P extends object>(listing: string, isPosition: (value: Record<string, unknown>) => boolean): CursorCodec<P> {
  return {
    encode: (position) => Buffer.from(JSON.stringify({ listing, ...position })).toString('base64url'),
    decode(text) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
      } catch {
        return undefined;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
      const { listing: of, ...position } = parsed as Record<string, unknown>;
      return of === listing && isPosition(position) ? (position as P) : undefined;
    },
  };
}

const isEventTime = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
const isId = (value: unknown) => typeof value === 'string' && value.length > 0;

export const alertCursor = cursorCodec<AlertPosition>(
  'alerts',
  (p) => Object.keys(p).length === 2 && isEventTime(p.eventTime) && isId(p.alertId),
);

export const timelineCursor = cursorCodec<TimelinePosition>(
  'timeline',
  (p) => Object.keys(p).length === 3 && isEventTime(p.eventTime) && (p.type === 'transaction' || p.type === 'alert') && isId(p.id),
);
