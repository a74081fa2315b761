/**
 * Sizes (database, backups, uploads, trace blocks) are counted in powers of 1024, so their units
 * are the binary ones: KiB, MiB, GiB, never the decimal KB, MB, GB they are not.
 */
import { describe, expect, it } from 'vitest';
import { fmtBytes } from '../../../renderer/ui/format';

describe('fmtBytes', () => {
  it('names the 1024-based units it computes', () => {
    expect([0, 1023, 1024, 4096, 3 * 1024 ** 2, 25.7 * 1024 ** 2, 1024 ** 3, 1.25 * 1024 ** 3].map(fmtBytes)).toEqual([
      '0 B',
      '1023 B',
      '1.0 KiB',
      '4.0 KiB',
      '3.0 MiB',
      '25.7 MiB',
      '1.00 GiB',
      '1.25 GiB',
    ]);
  });
});
