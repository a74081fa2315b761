/**
 * The one check of a date range a command takes: its end on or after its start. The message
 * names the CLI flags; the app's forms put their own labels in their place.
 */
import type { z } from 'zod';

export function endNotBeforeStart(o: { readonly startDate?: string | undefined; readonly endDate?: string | undefined }, ctx: z.RefinementCtx): void {
  if (o.startDate && o.endDate && o.endDate < o.startDate) ctx.addIssue({ code: 'custom', message: `--end-date ${o.endDate} is before --start-date ${o.startDate}`, path: ['endDate'] });
}
