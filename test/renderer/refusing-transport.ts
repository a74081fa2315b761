/**
 * The scripted fake transport, plus commands that fail with a given error shape exactly as the
 * dispatcher answers them (usage errors carry their input issues), for renderer tests of how
 * screens word the engine's errors.
 */
import type { ErrorShape } from '../../core/api/errors';
import { FakeTransport, type FakeHandler } from '../support/app/fake-transport';

export class RefusingTransport extends FakeTransport {
  constructor(
    commands: Record<string, FakeHandler>,
    private readonly refusals: Record<string, ErrorShape | ((input: unknown) => ErrorShape | null)>,
  ) {
    super(commands);
  }

  override async invoke(name: string, input: unknown): Promise<unknown> {
    const r = this.refusals[name];
    const error = typeof r === 'function' ? r(input) : r;
    if (!error) return super.invoke(name, input);
    this.calls.push({ name, input });
    return { ok: false, error };
  }
}

/** The dispatcher's answer to an input its contract schema refuses (host/dispatcher.ts). */
export function usageError(command: string, field: string, message: string): ErrorShape {
  return { code: 'usage', message: `${command}: ${field}: ${message}`, details: { issues: [{ code: 'custom', message, path: [field] }] } };
}
