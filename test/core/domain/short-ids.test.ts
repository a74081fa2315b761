/**
 * Short ids (core/domain/short-ids.ts): the first 8 characters where they tell the ids in view
 * apart, else whole UUID groups up to the first group that differs. Reference cases are
 * hand-made; the invariant is that no short form is a prefix of another id in view.
 */
import { describe, expect, it } from 'vitest';
import { shortIds } from '../../../core/domain/short-ids';

const REF_1 = 'a1000000-0000-0000-0000-000000000001';
const REF_2 = 'a1000000-0000-0000-0000-000000000002';

describe('shortIds', () => {
  it.each([
    ['a single id: its first 8 characters', [REF_1], REF_1, 'a1000000'],
    ['ids differing in the first group: 8 characters', ['3f2c9a10-1111-4000-8000-000000000001', '3f2c9a11-1111-4000-8000-000000000001'], '3f2c9a10-1111-4000-8000-000000000001', '3f2c9a10'],
    ['ids differing only in the last group: shown whole', [REF_1, REF_2], REF_2, REF_2],
    ['ids differing in the second group: two groups', ['a1000000-0001-0000-0000-000000000000', 'a1000000-0002-0000-0000-000000000000'], 'a1000000-0002-0000-0000-000000000000', 'a1000000-0002'],
    ['a third id only the first group of which is shared', [REF_1, REF_2, 'a1000000-9999-0000-0000-000000000001'], 'a1000000-9999-0000-0000-000000000001', 'a1000000-9999'],
    ['an id shorter than 8 characters: whole', ['p1', 'p2'], 'p1', 'p1'],
    ['an id without groups sharing 8 characters: whole', ['abcdefgh01', 'abcdefgh02'], 'abcdefgh01', 'abcdefgh01'],
    ['an id that is a prefix of another: whole', ['a1000000', 'a1000000-0001'], 'a1000000', 'a1000000'],
    ['a repeated id counts once', [REF_1, REF_1], REF_1, 'a1000000'],
  ])('%s', (_what, ids, id, expected) => {
    expect(shortIds(ids)(id)).toBe(expected);
  });

  it('shows an id not in view whole', () => {
    expect(shortIds([REF_1])(REF_2)).toBe(REF_2);
  });

  it('gives ids in view short forms that are no prefix of another id in view', () => {
    const ids = [REF_1, REF_2, 'a1000000-0000-0000-0001-000000000001', 'a1000000-0001-0000-0000-000000000001', 'b2000000-0000-0000-0000-000000000001', 'b2000001-0000-0000-0000-000000000001'];
    const short = shortIds(ids);
    for (const id of ids) {
      expect(short(id).length).toBeGreaterThanOrEqual(8);
      expect(id.startsWith(short(id))).toBe(true);
      expect(ids.filter((other) => other !== id && other.startsWith(short(id)))).toEqual([]);
    }
    expect(ids.map(short)).toEqual([REF_1, REF_2, 'a1000000-0000-0000-0001', 'a1000000-0001', 'b2000000', 'b2000001']);
  });
});
