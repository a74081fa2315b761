/**
 * The option model's overrides for one run (SPEC.md d.2.3; `run --implied-vol`,
 * `--risk-free-rate`) as the Run and Debug forms take them: text fields, empty for the
 * setting, read with the contract's own schemas, each saying what it takes when it holds
 * something else.
 */
import { numberRangeWords } from '../../core/api/issue-words';
import { impliedVolSchema, riskFreeRateSchema } from '../../core/api/run-options';
import { fieldNumber } from './number-field';

export const OPTION_MODEL_LABELS = {
  impliedVol: 'Implied volatility (option model, for this run)',
  riskFreeRate: 'Risk-free rate (option model, for this run)',
} as const;

export type OptionModelField = keyof typeof OPTION_MODEL_LABELS;

/** The setting each field stands in for when it is empty. */
const OPTION_MODEL_SETTINGS: Readonly<Record<OptionModelField, string>> = { impliedVol: 'options.implied_vol', riskFreeRate: 'options.risk_free_rate' };

/**
 * An empty field's placeholder: the stored setting the run takes instead, as `getSettings`
 * answers it (the default when none is stored), or "setting" until the answer is in.
 */
export function optionModelPlaceholder(field: OptionModelField, settings: readonly { readonly key: string; readonly value: unknown }[] | undefined): string {
  const value = settings?.find((s) => s.key === OPTION_MODEL_SETTINGS[field])?.value;
  return typeof value === 'number' ? `setting (${value})` : 'setting';
}

/** What each field takes, said when it holds something else. */
export const OPTION_MODEL_WORDS: Readonly<Record<OptionModelField, string>> = {
  impliedVol: `Implied volatility is ${numberRangeWords(impliedVolSchema)} (0.30 for 30%), or empty for the setting.`,
  riskFreeRate: `The risk-free rate is ${numberRangeWords(riskFreeRateSchema)} (0.04 for 4%), or empty for the setting.`,
};

/** The overrides the fields give (none where empty), and what is wrong with each field that holds no value it takes. */
export function readOptionModel(texts: Readonly<Record<OptionModelField, string>>): {
  values: Partial<Record<OptionModelField, number>>;
  problems: Partial<Record<OptionModelField, string>>;
} {
  const values: Partial<Record<OptionModelField, number>> = {};
  const problems: Partial<Record<OptionModelField, string>> = {};
  const schemas = { impliedVol: impliedVolSchema, riskFreeRate: riskFreeRateSchema };
  for (const field of Object.keys(OPTION_MODEL_LABELS) as OptionModelField[]) {
    const read = fieldNumber(texts[field], schemas[field], OPTION_MODEL_WORDS[field]);
    if ('problem' in read) problems[field] = read.problem;
    else if (read.value !== undefined) values[field] = read.value;
  }
  return { values, problems };
}
