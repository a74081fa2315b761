/**
 * The renderer's Content-Security-Policy, one policy for both hosts (the Electron session and
 * the `serve` static files): scripts, styles, data and connections from the app's own origin
 * only; no eval, no inline script, no framing, no form posts.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
