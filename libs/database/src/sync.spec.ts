import { InvalidCursorError } from './cursor';
import { SYNC_START, type SyncPosition, checkSyncPosition, compareSyncPositions, decodeSyncCursor, encodeSyncCursor, mergeSyncStreams } from './sync';

const id = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const at = (seq: number, n: number): SyncPosition => ({ seq: String(seq), id: id(n) });

describe('sync cursors', () => {
  it('round-trip, are bound to their feed, and start at the beginning when absent', () => {
    const cursor = encodeSyncCursor('applicants', at(42, 7));
    expect(decodeSyncCursor('applicants', cursor)).toEqual(at(42, 7));
    expect(decodeSyncCursor('applicants', undefined)).toEqual(SYNC_START);
    expect(() => decodeSyncCursor('listings', cursor)).toThrow(/applicants feed, not listings/);
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('v1:1:x').toString('base64url')],
    ['another version', Buffer.from(JSON.stringify({ v: 2, feed: 'applicants', seq: '1', id: id(1) })).toString('base64url')],
    ['a negative position', Buffer.from(JSON.stringify({ v: 1, feed: 'applicants', seq: '-1', id: id(1) })).toString('base64url')],
    ['a position beyond bigint', Buffer.from(JSON.stringify({ v: 1, feed: 'applicants', seq: '9223372036854775808', id: id(1) })).toString('base64url')],
    ['an id that is no uuid', Buffer.from(JSON.stringify({ v: 1, feed: 'applicants', seq: '1', id: 'x' })).toString('base64url')],
  ])('refuses %s with a reason', (_what, cursor) => {
    expect(() => decodeSyncCursor('applicants', cursor)).toThrow(InvalidCursorError);
  });
});

describe('checkSyncPosition', () => {
  it('refuses a cursor at or beyond the horizon (another server\'s history), accepts the start and earlier ones', () => {
    expect(() => checkSyncPosition(at(99, 1), '100')).not.toThrow();
    expect(() => checkSyncPosition(SYNC_START, '1')).not.toThrow();
    expect(() => checkSyncPosition(at(100, 1), '100')).toThrow(/start again without a cursor/);
  });
});

describe('mergeSyncStreams', () => {
  it('orders by (seq, id) numerically, takes limit, and resumes after the last taken', () => {
    const live = [at(9, 1), at(10, 2), at(100, 3)];
    const gone = [at(9, 0), at(11, 4)];
    const page = mergeSyncStreams('f', SYNC_START, [live, gone], (p) => p, 3);
    expect(page.items).toEqual([at(9, 0), at(9, 1), at(10, 2)]);
    expect(page.hasMore).toBe(true);
    expect(decodeSyncCursor('f', page.next)).toEqual(at(10, 2));
  });

  it('is caught up when every stream was read to its end, and keeps the cursor on an empty page', () => {
    const after = at(5, 5);
    expect(mergeSyncStreams('f', after, [[at(6, 1)], []], (p) => p, 2)).toMatchObject({ items: [at(6, 1)], hasMore: false });
    const empty = mergeSyncStreams('f', after, [[], []], (p) => p, 2);
    expect(empty).toEqual({ items: [], next: encodeSyncCursor('f', after), hasMore: false });
  });

  it('compares 64-bit positions beyond Number precision', () => {
    expect(compareSyncPositions({ seq: '9007199254740993', id: id(1) }, { seq: '9007199254740992', id: id(9) })).toBe(1);
  });
});
