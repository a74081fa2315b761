/**
 * Request bodies of `serve`: JSON bodies are limited to 10 MB (413 beyond, SPEC.md m.19),
 * checked against Content-Length first and counted while reading; dump uploads are streamed
 * to a file without a size limit.
 */
import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { BatchdeskError } from '../../core/api/errors';

export const MAX_JSON_BODY = 10 * 1024 * 1024;

export async function readJsonBody(req: IncomingMessage, limit = MAX_JSON_BODY): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new BatchdeskError('payload_too_large', `the request body is larger than ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new BatchdeskError('payload_too_large', `the request body is larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BatchdeskError('usage', 'the request body is not valid JSON');
  }
}

/** Streams the body to `path`; returns the byte count. */
export async function streamBodyToFile(req: IncomingMessage, path: string): Promise<number> {
  let bytes = 0;
  req.on('data', (c: Buffer) => (bytes += c.length));
  await pipeline(req, createWriteStream(path, { flags: 'wx' }));
  return bytes;
}
