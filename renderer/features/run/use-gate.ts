/** The regression gate (SPEC.md i.4): closed means a red banner and a disabled Run button. */
import { useEffect, useState } from 'react';
import type { Gate } from '../../../core/api/commands/diagnostics-commands';
import { useClient, useLive } from '../../app-context';
import { useAsync } from '../../ui/use-async';

/** Reads the gate from getGate; re-reads after each run. */
export function useGate(): Gate | null {
  const client = useClient();
  const live = useLive();
  const [gate, setGate] = useState<Gate | null>(null);
  const finishedRun = live.phase === 'finished' ? live.run?.runId : null;
  useEffect(() => {
    let stale = false;
    client.call('getGate', {}).then(
      (r) => !stale && setGate(r.gate),
      () => !stale && setGate(null),
    );
    return () => {
      stale = true;
    };
  }, [client, finishedRun]);
  return gate;
}

/**
 * The path of the app's database, read (getDatabaseInfo) only while `wanted`: the commands a
 * closed gate's banner advises name it with --db, so pasted into a shell they act on this file
 * and not on the CLI's default database. Null until read, or when it cannot be read.
 */
export function useDatabasePath(wanted: boolean): string | null {
  const client = useClient();
  const info = useAsync(() => (wanted ? client.call('getDatabaseInfo', {}).then((r) => r.path) : Promise.resolve(null)), [client, wanted]);
  return info.data ?? null;
}
