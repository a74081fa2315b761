/**
 * ProfileSource adapter 'synthetic' (SPEC.md e.9, m.8): the generator's profile of a symbol;
 * private-looking symbols and option contracts get outcome 'no_data'.
 */
import type { ProfileResponse, ProfileSource } from '../../core/ports/market-data';
import type { SyntheticGenerator } from './synthetic-generator';

export function createSyntheticProfileSource(generator: SyntheticGenerator): ProfileSource {
  return {
    name: 'synthetic',
    async fetchProfile(symbol: string, signal: AbortSignal): Promise<ProfileResponse> {
      signal.throwIfAborted();
      const profile = generator.profile(symbol);
      return {
        symbol,
        outcome: profile ? 'ok' : 'no_data',
        profile,
        error: profile ? null : 'not generated: private or option symbol',
        rateLimited: false,
        circuitOpen: false,
        httpRequests: 0,
        retries: 0,
      };
    },
  };
}
