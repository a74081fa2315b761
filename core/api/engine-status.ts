/**
 * The state of the engine worker as hosts report it to the UI (Electron IPC, serve's event
 * stream): starting, ready, crashed (restarting), failed (stays down), stopped.
 */
import { z } from 'zod';

export const engineStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('starting') }),
  z.object({ state: z.literal('ready'), restarts: z.number().int(), recoveredLock: z.string().nullable() }),
  z.object({ state: z.literal('crashed'), message: z.string(), restarts: z.number().int() }),
  z.object({ state: z.literal('failed'), message: z.string() }),
  z.object({ state: z.literal('stopped') }),
]);
export type EngineStatus = z.infer<typeof engineStatusSchema>;
