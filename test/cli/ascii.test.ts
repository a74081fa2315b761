import { describe, expect, it } from 'vitest';
import { inlineList } from '../../cli/ascii';

describe('inlineList', () => {
  it('prints at most ten items on one line and says how many it left out', () => {
    expect(inlineList([])).toBe('');
    expect(inlineList(['a', 'b'])).toBe(' (a, b)');
    const days = Array.from({ length: 300 }, (_, i) => `d${i}`);
    expect(inlineList(days)).toBe(` (${days.slice(0, 10).join(', ')}, ... 290 more)`);
    expect(inlineList(days.slice(0, 10))).toBe(` (${days.slice(0, 10).join(', ')})`);
  });
});
