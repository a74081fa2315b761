/**
 * Advised commands carry `--db PATH` so they run on the same database when pasted into a shell:
 * a path with spaces, quotes or shell characters is single-quoted, and the shell reads it back
 * as the same path (checked with a real /bin/sh).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { advisedDbFlag } from '../../cli/command';
import { shellWord } from '../../core/api/shell-word';

const shellReads = (word: string) => execFileSync('/bin/sh', ['-c', `printf '%s' ${word}`], { encoding: 'utf8' });

describe('shellWord', () => {
  it('leaves plain paths as they are', () => {
    expect(shellWord('/tmp/demo-1/portfolios.sqlite')).toBe('/tmp/demo-1/portfolios.sqlite');
    expect(shellWord('C:/data/a_b+c,d@e%f=g.db')).toBe('C:/data/a_b+c,d@e%f=g.db');
  });

  it('quotes anything else so that the shell reads the same path back', () => {
    for (const path of ['/tmp/my demo/p.sqlite', "/tmp/it's/p.db", '/tmp/$HOME/`x`/p.db', '/tmp/a;rm -rf b/p.db', '/tmp/"q"/*.db', '']) {
      expect(shellReads(shellWord(path))).toBe(path);
    }
    expect(shellWord("/tmp/it's")).toBe(`'/tmp/it'\\''s'`);
  });

  it('advisedDbFlag: quoted when needed, nothing for the default database', () => {
    expect(advisedDbFlag({ dbPath: '/tmp/my demo.db', dbIsDefault: false } as Parameters<typeof advisedDbFlag>[0])).toBe(" --db '/tmp/my demo.db'");
    expect(advisedDbFlag({ dbPath: '/home/u/.config/batchdesk/portfolios.sqlite', dbIsDefault: true } as Parameters<typeof advisedDbFlag>[0])).toBe('');
  });
});
