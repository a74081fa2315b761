/**
 * Which symbol to ask the provider for (SPEC.md e.2, e.5): the canonical form, mapped through
 * the provider aliases (VIX -> ^VIX), and never a private-looking symbol or an option contract
 * (no provider can price them; e.2 "never requested").
 */
import { canonicalSymbol, isOptionContractSymbol, isPrivateLookingSymbol } from '../../core/domain/symbols';

export type RefusalReason = 'empty_symbol' | 'private_looking_symbol' | 'option_contract_symbol';

export type ProviderSymbolPlan =
  | { readonly request: true; readonly canonical: string; readonly providerSymbol: string }
  | { readonly request: false; readonly canonical: string; readonly reason: RefusalReason };

/** `aliases` maps canonical symbols to provider symbols; its keys are canonicalised too. */
export function planProviderSymbol(raw: string, aliases: Readonly<Record<string, string>>): ProviderSymbolPlan {
  const canonical = canonicalSymbol(raw);
  if (canonical === '') return { request: false, canonical, reason: 'empty_symbol' };
  if (isPrivateLookingSymbol(canonical)) return { request: false, canonical, reason: 'private_looking_symbol' };
  if (isOptionContractSymbol(canonical)) return { request: false, canonical, reason: 'option_contract_symbol' };
  for (const [from, to] of Object.entries(aliases)) {
    if (canonicalSymbol(from) === canonical) return { request: true, canonical, providerSymbol: to.trim() };
  }
  return { request: true, canonical, providerSymbol: canonical };
}

export function describeRefusal(reason: RefusalReason): string {
  switch (reason) {
    case 'empty_symbol':
      return 'not requested: empty symbol';
    case 'private_looking_symbol':
      return 'not requested: private-looking symbol (SPEC e.5)';
    case 'option_contract_symbol':
      return 'not requested: option contract symbol (SPEC e.2)';
  }
}
