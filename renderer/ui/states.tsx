/** Readable empty, loading and error states shared by every screen. */
import type { ReactNode } from 'react';
import { errorText, refusalTitle, type FieldLabels } from '../engine-client/engine-error';

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty" role="status">
      <p className="state-title">{title}</p>
      {children ? <div className="state-body">{children}</div> : null}
    </div>
  );
}

export function LoadingState({ label = 'Loading...' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      {label}
    </div>
  );
}

/**
 * `labels`: the form's words for the fields the failed command took (see errorText); `title`:
 * what happened, when the screen knows it better. Without one, an expected refusal (the
 * database held by another process) is titled by what refused it (refusalTitle), anything
 * else "Something went wrong".
 */
export function ErrorState({ error, onRetry, labels, title }: { error: unknown; onRetry?: () => void; labels?: FieldLabels; title?: string | undefined }) {
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title ?? refusalTitle(error) ?? 'Something went wrong'}</p>
      <p className="state-body">{errorText(error, labels)}</p>
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
