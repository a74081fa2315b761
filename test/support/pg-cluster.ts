/**
 * A throw-away PostgreSQL 15 cluster for tests (pg-import.md 9.1): a temporary directory, a
 * Unix socket inside it, TCP off, run as the `postgres` system user when the tests run as
 * root (initdb refuses root). stop() shuts it down and removes the directory.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PG_BIN } from './pg-fixtures';

export interface PgCluster {
  readonly env: NodeJS.ProcessEnv;
  psql(db: string, sql: string): string;
  run(program: string, args: string[], input?: Buffer | string): Buffer;
  stop(): void;
}

function asPostgres(program: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
}

export function startPgCluster(): PgCluster {
  const dir = mkdtempSync(join(tmpdir(), 'batchdesk-pg-'));
  const sock = join(dir, 'sock');
  mkdirSync(sock);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    chownSync(sock, uid, gid);
  }
  const data = join(dir, 'data');
  const [p1, a1] = asPostgres(join(PG_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  execFileSync(p1, a1, { stdio: 'pipe' });
  const [p2, a2] = asPostgres(join(PG_BIN, 'pg_ctl'), [
    '-D', data, '-l', join(dir, 'server.log'), '-w', '-o', `-k ${sock} -c listen_addresses='' -c timezone=UTC -c fsync=off`, 'start',
  ]);
  execFileSync(p2, a2, { stdio: 'pipe' });
  const env: NodeJS.ProcessEnv = { ...process.env, PGHOST: sock, PGUSER: 'postgres', PGTZ: 'UTC', PGCLIENTENCODING: 'UTF8' };
  delete env.PGOPTIONS;
  delete env.PGDATABASE;
  return {
    env,
    psql(db, sql) {
      return execFileSync(join(PG_BIN, 'psql'), ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', sql], { env, maxBuffer: 1 << 30 }).toString();
    },
    run(program, args, input) {
      return execFileSync(join(PG_BIN, program), args, { env, input, maxBuffer: 1 << 30 });
    },
    stop() {
      const [p3, a3] = asPostgres(join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', 'fast', 'stop']);
      try {
        execFileSync(p3, a3, { stdio: 'pipe' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
