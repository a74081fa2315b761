/** uuid, char(n), bytea (hex and escape output) and enum values (pg-import.md section 7). */
import { describe, expect, it } from 'vitest';
import { convertBpchar, convertBytea, convertUuid, enumConverter } from '../../../db/pg-import/text-values';
import { run } from '../../support/issue-collector';

describe('text-like values', () => {
  it('uuid → lowercase canonical text', () => {
    expect(run(convertUuid, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11').value).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    expect(run(convertUuid, 'not-a-uuid').codes).toEqual(['invalid_value']);
  });

  it('char(n) drops the space padding only', () => {
    expect(convertBpchar('ab    ')).toBe('ab');
    expect(convertBpchar('      ')).toBe('');
    expect(convertBpchar('\t ')).toBe('\t');
  });

  it('bytea in hex and escape form give the same bytes', () => {
    expect(run(convertBytea, '\\x00ff10').value).toEqual(Buffer.from([0, 255, 16]));
    expect(run(convertBytea, '\\x').value).toEqual(Buffer.alloc(0));
    expect(run(convertBytea, '\\000\\377\\020').value).toEqual(Buffer.from([0, 255, 16]));
    expect(run(convertBytea, '\\\\\\000\'\\\\').value).toEqual(Buffer.from([0x5c, 0, 0x27, 0x5c]));
    expect(run(convertBytea, 'Z\\303\\274rich').value).toEqual(Buffer.from('Zürich'));
    expect(run(convertBytea, '\\x0').codes).toEqual(['invalid_value']);
    expect(run(convertBytea, '\\9').codes).toEqual(['invalid_value']);
  });

  it('enum labels are kept and checked against the dump type', () => {
    const conv = enumConverter(new Set(['happy', "it's odd"]), 'public.mood');
    expect(run(conv, "it's odd")).toEqual({ value: "it's odd", codes: [] });
    expect(run(conv, 'angry')).toEqual({ value: 'angry', codes: ['unknown_enum_label'] });
  });
});
