/**
 * The desktop app's default database location (SPEC.md k.1): the per-user application-data
 * folder, the same folder Electron's app.getPath('userData') gives for "batchdesk".
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function appDataDir(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'batchdesk');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'batchdesk');
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'batchdesk');
}

export function defaultDatabasePath(env: Readonly<Record<string, string | undefined>>): string {
  return join(appDataDir(env), 'portfolios.sqlite');
}
