import { alertCursor, timelineCursor } from './cursor';

describe('page cursors', () => {
  it('round-trip a position through an opaque, URL-safe string', () => {
    const position = { eventTime: 1_767_225_600_000, alertId: 'alert/tx-1+é' };
    const text = alertCursor.encode(position);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(alertCursor.decode(text)).toEqual(position);
    const entry = { eventTime: 5, type: 'alert', id: 'a-1' } as const;
    expect(timelineCursor.decode(timelineCursor.encode(entry))).toEqual(entry);
  });

  it("refuse another listing's cursor", () => {
    const text = alertCursor.encode({ eventTime: 5, alertId: 'a-1' });
    expect(timelineCursor.decode(text)).toBeUndefined();
  });

  it.each([
    ['not base64 JSON', 'definitely not a cursor'],
    ['an empty string', ''],
    ['a JSON array', Buffer.from('["alerts",5,"a"]').toString('base64url')],
    ['a negative time', Buffer.from('{"listing":"alerts","eventTime":-1,"alertId":"a"}').toString('base64url')],
    ['a fractional time', Buffer.from('{"listing":"alerts","eventTime":1.5,"alertId":"a"}').toString('base64url')],
    ['an empty id', Buffer.from('{"listing":"alerts","eventTime":1,"alertId":""}').toString('base64url')],
    ['an extra field', Buffer.from('{"listing":"alerts","eventTime":1,"alertId":"a","x":1}').toString('base64url')],
  ])('refuse %s', (_case, text) => {
    expect(alertCursor.decode(text)).toBeUndefined();
  });

  it('refuse a timeline entry type it does not know', () => {
    const text = Buffer.from('{"listing":"timeline","eventTime":1,"type":"login","id":"e-1"}').toString('base64url');
    expect(timelineCursor.decode(text)).toBeUndefined();
  });
});
