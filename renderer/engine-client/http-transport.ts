/**
 * Browser mode: commands as POST /api/commands/<name> with the launch token as a bearer
 * token, telemetry from GET /api/events (EventSource; the token goes in the query because
 * EventSource cannot set headers), dump uploads as a streamed POST /api/uploads.
 */
import type { Transport, TransportHandlers } from './transport';

/** The token `serve` printed in the URL fragment (#token=...). */
export function tokenFromLocation(hash: string): string | null {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(hash);
  return m ? m[1]! : null;
}

export class HttpTransport implements Transport {
  readonly kind = 'http' as const;

  constructor(
    private readonly token: string,
    private readonly base = '',
  ) {}

  async invoke(name: string, input: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/api/commands/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
    } catch (err) {
      return { ok: false, error: { code: 'io', message: `the batchdesk server cannot be reached (${(err as Error).message}); is \`batchdesk serve\` still running?` } };
    }
    try {
      return await res.json();
    } catch {
      return { ok: false, error: { code: 'internal', message: `the server answered ${res.status} without a JSON body` } };
    }
  }

  subscribe(h: TransportHandlers): () => void {
    h.onConnection?.('connecting');
    const source = new EventSource(`${this.base}/api/events?token=${encodeURIComponent(this.token)}`);
    source.addEventListener('open', () => h.onConnection?.('open'));
    source.addEventListener('error', () => h.onConnection?.(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting'));
    source.addEventListener('telemetry', (e) => {
      try {
        h.onTelemetry(JSON.parse((e as MessageEvent<string>).data));
      } catch {
        /* a malformed frame is dropped; the client validates what it gets */
      }
    });
    source.addEventListener('engine', (e) => {
      try {
        h.onEngineStatus(JSON.parse((e as MessageEvent<string>).data));
      } catch {
        /* ignored, as above */
      }
    });
    return () => source.close();
  }

  uploadDump(file: File, onProgress?: (sent: number, total: number) => void): Promise<{ path: string; name: string; bytes: number }> {
    // XMLHttpRequest reports upload progress; fetch does not.
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${this.base}/api/uploads`);
      xhr.setRequestHeader('authorization', `Bearer ${this.token}`);
      xhr.setRequestHeader('x-file-name', file.name);
      xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.total);
      xhr.onerror = () => reject(new Error('the upload failed: the server cannot be reached'));
      xhr.onload = () => {
        try {
          const body = JSON.parse(xhr.responseText) as { ok: boolean; output?: { path: string; name: string; bytes: number }; error?: { message: string } };
          if (body.ok && body.output) resolve(body.output);
          else reject(new Error(body.error?.message ?? `the upload failed (${xhr.status})`));
        } catch {
          reject(new Error(`the upload failed (${xhr.status})`));
        }
      };
      xhr.send(file);
    });
  }
}
