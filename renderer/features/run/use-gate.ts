/** The regression gate (SPEC.md i.4): closed means a red banner and a disabled Run button. */
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { useClient, useLive } from '../../app-context';

export const gateViewSchema = z
  .object({
    state: z.enum(['open', 'closed']),
    since: z.string().nullable().optional(),
    findings: z.array(z.record(z.string(), z.unknown())).optional(),
    reason: z.string().nullable().optional(),
  })
  .loose();
export type GateView = z.infer<typeof gateViewSchema>;

/** Reads the gate from getGate when the engine has it, else from the database facts; re-reads after each run. */
export function useGate(): GateView | null {
  const client = useClient();
  const live = useLive();
  const [gate, setGate] = useState<GateView | null>(null);
  const finishedRun = live.phase === 'finished' ? live.run?.runId : null;
  useEffect(() => {
    let stale = false;
    const read = client.has('getGate')
      ? client.callNamed('getGate', {}, z.object({ gate: gateViewSchema })).then((r) => r.gate)
      : client.call('getDatabaseInfo', {}).then((i) => {
          const g = gateViewSchema.safeParse(i.gate);
          return g.success ? g.data : null;
        });
    read.then(
      (g) => !stale && setGate(g),
      () => !stale && setGate(null),
    );
    return () => {
      stale = true;
    };
  }, [client, finishedRun]);
  return gate;
}
