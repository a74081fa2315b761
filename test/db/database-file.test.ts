/**
 * fsyncDirectory flushes a folder after a rename (backup and restore), and keeps quiet where a
 * folder cannot be flushed or is gone.
 * sha256File reads a file in 1 MB pieces: checked against the published FIPS 180-2 vector for
 * "abc" and against one-shot hashing of a 2.5 MB file whose pieces end mid-way.
 */
import { createHash } from 'node:crypto';
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fsyncDirectory, sha256File } from '../../db/maintenance/database-file';
import { tempDir } from '../support/cli';

describe('sha256File', () => {
  it('matches the FIPS 180-2 test vector, the empty file, and one-shot hashing across piece boundaries', () => {
    const dir = tempDir('sha-');
    const abc = join(dir, 'abc');
    writeFileSync(abc, 'abc');
    expect(sha256File(abc)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'); // FIPS 180-2, appendix B.1
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    expect(sha256File(empty)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const big = Buffer.alloc(2.5 * 2 ** 20);
    for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
    const file = join(dir, 'big');
    writeFileSync(file, big);
    expect(sha256File(file)).toBe(createHash('sha256').update(big).digest('hex'));
  });
});

describe('fsyncDirectory', () => {
  it('flushes a folder after a rename in it, and returns quietly for a folder that is gone', () => {
    const dir = tempDir('fsync-dir-');
    writeFileSync(join(dir, 'a.tmp'), 'x');
    renameSync(join(dir, 'a.tmp'), join(dir, 'a'));
    expect(() => fsyncDirectory(dir)).not.toThrow();
    expect(readdirSync(dir)).toEqual(['a']);
    expect(() => fsyncDirectory(join(dir, 'gone'))).not.toThrow();
  });
});
