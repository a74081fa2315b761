/**
 * Where the app finds its files: the database (--db, BATCHDESK_DB, else portfolios.sqlite in
 * the user's application-data folder, the CLI's default too), the drizzle migrations (extra
 * resources when packaged) and the renderer page (the bundle, or electron-vite's dev server).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export function databasePath(argv: readonly string[], env: NodeJS.ProcessEnv, userData: string): string {
  const i = argv.indexOf('--db');
  if (i >= 0 && argv[i + 1]) return resolve(argv[i + 1]!);
  const eq = argv.find((a) => a.startsWith('--db='));
  if (eq) return resolve(eq.slice('--db='.length));
  if (env['BATCHDESK_DB']) return resolve(env['BATCHDESK_DB']);
  return join(userData, 'portfolios.sqlite');
}

/** The packaged app ships db/migrations as resources/migrations; in development the bundle's copy is used. */
export function migrationsFolder(resourcesPath: string, isPackaged: boolean): string | undefined {
  if (!isPackaged) return undefined;
  const p = join(resourcesPath, 'migrations');
  return existsSync(p) ? p : undefined;
}

export function rendererUrl(mainDir: string, devServer: string | undefined): string {
  if (devServer) return devServer;
  return pathToFileURL(join(mainDir, '../renderer/index.html')).href;
}
