/**
 * Phase fundamentals (date scope, non-critical; SPEC.md c.6): keep company profiles fresh
 * enough for sector tags, the provider beta and the ETF flag. A profile is fetched when it
 * is missing or older than profile_max_age_days (measured from now); offline nothing is
 * fetched (the chain has no profile source). Profiles are not point-in-time, so a run asks
 * for each profile at most once: a fetched profile is fresh for the rest of the run, and a
 * failed one is not asked again until the next run (the stored profile, if any, is kept).
 * Each profile is written in its own short transaction.
 */
import { isActiveOn } from '../domain/portfolio';
import { isOptionContractSymbol, isPrivateLookingSymbol } from '../domain/symbols';
import { outcome, type DatePhase } from '../engine/phase-types';
import { bindProviderMetrics } from './market-data/provider-metrics';

const DAY_MS = 86_400_000;

export const fundamentalsPhase: DatePhase = {
  name: 'fundamentals',
  scope: 'date',
  critical: false,
  reads: ['portfolios', 'positions', 'company_profiles', 'settings'],
  writes: ['company_profiles'],
  async run(ctx) {
    const { run, date: d } = ctx;
    const symbols = new Set<string>();
    for (const id of ctx.portfolioIds) {
      for (const lot of run.lotsByPortfolio.get(id) ?? []) {
        if (lot.investmentClass === 'PUBLIC' && isActiveOn(lot, d) && !isPrivateLookingSymbol(lot.symbol) && !isOptionContractSymbol(lot.symbol)) symbols.add(lot.symbol);
      }
    }
    const maxAgeMs = run.settings['fundamentals.profile_max_age_days'] * DAY_MS;
    const now = run.clock.now();
    const stale = [...symbols].filter((s) => {
      const p = run.profiles.get(s);
      return !p || now - p.lastUpdatedMs > maxAgeMs;
    });
    const failed: string[] = [];
    let fetched = 0;
    let attempted = 0;
    const source = run.profileSource;
    if (source) {
      bindProviderMetrics(run);
      for (const symbol of stale.sort()) {
        if (run.signal.aborted) break;
        if (run.marketData.profileAttempts.has(symbol)) continue;
        run.marketData.profileAttempts.add(symbol);
        attempted++;
        let r;
        try {
          r = await source.fetchProfile(symbol, run.signal);
        } catch (err) {
          if (run.signal.aborted) break;
          r = { outcome: 'provider_error' as const, profile: null, error: (err as Error).message };
        }
        if (r.outcome === 'ok' && r.profile) {
          fetched++;
          const nowIso = run.nowIso();
          if (!run.monitorOnly) run.store.transaction(() => run.store.upsertProfile(r.profile!, nowIso));
          // The store keeps a stored value where the new profile has none (upsertProfile).
          const prev = run.profiles.get(symbol);
          run.profiles.set(symbol, {
            symbol,
            sector: r.profile.sector ?? prev?.sector ?? null,
            isEtf: r.profile.isEtf,
            isFund: r.profile.isFund,
            beta: r.profile.beta ?? prev?.beta ?? null,
            dataSource: r.profile.dataSource,
            lastUpdatedMs: now,
          });
        } else failed.push(symbol);
      }
    }
    const missing = [...symbols].filter((s) => !run.profiles.has(s)).length;
    const metrics = {
      profiles_needed: symbols.size,
      profiles_fresh: symbols.size - stale.length,
      profiles_fetched: fetched,
      profiles_attempted: attempted,
      profiles_failed: failed.length,
      profiles_missing: missing,
      failed_symbols: failed.slice(0, 10),
      source: source?.name ?? 'none',
    };
    if (source && attempted > 0 && fetched === 0 && failed.length > 0) {
      return outcome('failed', metrics, 'all_fetches_failed', `every profile fetch failed (${failed.length}): ${failed.slice(0, 5).join(', ')}`);
    }
    return outcome('success', metrics);
  },
};
