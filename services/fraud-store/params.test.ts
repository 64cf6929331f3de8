import { HttpError } from '../shared/http';
import { alertCursor, timelineCursor } from './cursor';
import { DEFAULT_LIMIT, MAX_LIMIT, parseAlertQuery, parseId, parseTime, parseTimelineQuery } from './params';

function rejection(parse: () => unknown): { parameter?: string; message: string; status: number } {
  try {
    parse();
  } catch (error) {
    if (error instanceof HttpError) return { parameter: error.parameter, message: error.message, status: error.status };
    throw error;
  }
  throw new Error('expected the parameters to be refused');
}

describe('alert query parameters', () => {
  it('default to the newest page of every alert', () => {
    expect(parseAlertQuery({})).toEqual({ limit: DEFAULT_LIMIT });
  });

  it('accept every filter together', () => {
    const after = { eventTime: 1_000, alertId: 'a-9' };
    expect(
      parseAlertQuery({
        decision: 'DECLINE',
        rule: 'velocity-burst',
        from: '2026-01-01T00:00:00Z',
        to: '1767312000000',
        cursor: alertCursor.encode(after),
        limit: '10',
      }),
    ).toEqual({ decision: 'DECLINE', rule: 'velocity-burst', from: 1_767_225_600_000, to: 1_767_312_000_000, after, limit: 10 });
  });

  it.each([
    [{ decision: 'decline' }, 'decision', /one of APPROVE, REVIEW, DECLINE/],
    [{ limit: '0' }, 'limit', /from 1 to 200/],
    [{ limit: String(MAX_LIMIT + 1) }, 'limit', /from 1 to 200/],
    [{ limit: '10.5' }, 'limit', /integer/],
    [{ from: 'yesterday' }, 'from', /epoch milliseconds or an ISO 8601/],
    [{ to: '2026-01-01T00:00:00' }, 'to', /with a zone/],
    [{ from: '2000', to: '1000' }, 'to', /must not be before from/],
    [{ cursor: 'abc' }, 'cursor', /nextCursor/],
    [{ cursor: timelineCursor.encode({ eventTime: 1, type: 'alert', id: 'a' }) }, 'cursor', /nextCursor/],
    [{ rule: '' }, 'rule', /1 to 200 printable/],
    [{ decison: 'REVIEW' }, 'decison', /unknown parameter decison/],
    [{ decision: ['REVIEW', 'DECLINE'] }, 'decision', /given once/],
    [{ rule: { $ne: 'x' } }, 'rule', /given once/],
  ])('refuse %j, naming %s', (query, parameter, message) => {
    const refused = rejection(() => parseAlertQuery(query));
    expect(refused).toEqual({ status: 400, parameter, message: expect.stringMatching(message) });
  });
});

describe('timeline query parameters', () => {
  it('take the account from the path and a timeline cursor', () => {
    const after = { eventTime: 7, type: 'transaction', id: 'tx-1' } as const;
    expect(parseTimelineQuery('acc-1', { cursor: timelineCursor.encode(after), from: '5' })).toEqual({
      accountId: 'acc-1',
      from: 5,
      after,
      limit: DEFAULT_LIMIT,
    });
  });

  it('refuse filters that only alerts have', () => {
    expect(rejection(() => parseTimelineQuery('acc-1', { decision: 'REVIEW' })).parameter).toBe('decision');
  });

  it("refuse an alert listing's cursor", () => {
    const cursor = alertCursor.encode({ eventTime: 1, alertId: 'a' });
    expect(rejection(() => parseTimelineQuery('acc-1', { cursor })).parameter).toBe('cursor');
  });
});

describe('parseTime', () => {
  it('reads epoch milliseconds and zoned ISO 8601 times alike', () => {
    expect(parseTime('from', '0')).toBe(0);
    expect(parseTime('from', '2026-01-01')).toBe(1_767_225_600_000);
    expect(parseTime('from', '2026-01-01T01:00:00.250+01:00')).toBe(1_767_225_600_250);
  });

  it('refuses negative and unsafe numbers', () => {
    expect(() => parseTime('from', '-1')).toThrow(/from must be/);
    expect(() => parseTime('from', '9'.repeat(16))).toThrow(/from must be/);
  });
});

describe('parseId', () => {
  it('refuses control characters and overlong ids', () => {
    expect(parseId('id', 'tx-1')).toBe('tx-1');
    expect(() => parseId('id', 'tx\n1')).toThrow(/printable/);
    expect(() => parseId('id', 'x'.repeat(201))).toThrow(/1 to 200/);
  });
});
