import { describe, expect, it } from 'vitest';
import { cutToChars } from '../../../core/domain/text-length';
import { profileFromQuoteSummary } from '../../../market-data/yahoo/company-profile-mapping';

describe('profileFromQuoteSummary (SPEC e.7 table)', () => {
  const full = {
    price: { longName: 'Long Co', shortName: 'Short', quoteType: 'EQUITY', exchangeName: 'NasdaqGS', marketCap: 1 },
    summaryDetail: { marketCap: 2, beta: 1.1, trailingPE: 20, forwardPE: 18, dividendYield: 0.01, fiftyTwoWeekHigh: 10, fiftyTwoWeekLow: 5 },
    assetProfile: { sector: 'Technology', industry: 'Software', country: 'United States', website: 'https://x.test', fullTimeEmployees: 100, longBusinessSummary: ' Does things. ' },
  };

  it('maps every column from its source field', () => {
    expect(profileFromQuoteSummary('LONG', full)).toEqual({
      ok: true,
      profile: {
        symbol: 'LONG',
        companyName: 'Long Co',
        sector: 'Technology',
        industry: 'Software',
        exchange: 'NasdaqGS',
        country: 'United States',
        marketCap: 2,
        description: 'Does things.',
        isEtf: false,
        isFund: false,
        beta: 1.1,
        peRatio: 20,
        forwardPe: 18,
        dividendYield: 0.01,
        week52High: 10,
        week52Low: 5,
        employees: 100,
        website: 'https://x.test',
        dataSource: 'yahoo',
      },
    });
  });

  it('falls back to shortName and price.marketCap; blanks and non-finite numbers become null', () => {
    const r = profileFromQuoteSummary('X', {
      price: { longName: '  ', shortName: 'Short', quoteType: 'ETF', marketCap: 7 },
      summaryDetail: { beta: Number.NaN, trailingPE: Number.POSITIVE_INFINITY },
    });
    expect(r).toMatchObject({ ok: true, profile: { companyName: 'Short', marketCap: 7, isEtf: true, isFund: false, beta: null, peRatio: null, sector: null, description: null } });
  });

  it('flags mutual funds', () => {
    expect(profileFromQuoteSummary('F', { price: { quoteType: 'MUTUALFUND' } })).toMatchObject({ ok: true, profile: { isFund: true, isEtf: false } });
  });

  it('cuts the description to 1,000 characters without splitting a surrogate pair', () => {
    const long = `${'a'.repeat(999)}😀${'b'.repeat(50)}`;
    const r = profileFromQuoteSummary('X', { assetProfile: { longBusinessSummary: long } });
    const d = r.ok ? r.profile.description! : '';
    expect(Array.from(d)).toHaveLength(1000);
    expect(d.endsWith('😀')).toBe(true);
    expect(cutToChars('short', 1000)).toBe('short');
  });

  it('is empty when no requested module came back, invalid when a used field has the wrong type', () => {
    expect(profileFromQuoteSummary('X', {})).toMatchObject({ ok: false, kind: 'empty' });
    expect(profileFromQuoteSummary('X', { summaryDetail: { beta: 'high' } })).toMatchObject({ ok: false, kind: 'invalid' });
  });
});
