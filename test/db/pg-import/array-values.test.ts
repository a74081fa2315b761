/** PostgreSQL array literals → JSON text (pg-import.md section 7). Expected JSON hand-written from the array I/O rules. */
import { describe, expect, it } from 'vitest';
import { arrayConverter, parseArrayLiteral } from '../../../db/pg-import/array-values';
import { run } from '../../support/issue-collector';

describe('array literals', () => {
  it('parses quoting, NULLs, nesting and dimension prefixes', () => {
    expect(parseArrayLiteral('{a,"b c","d,e",NULL,"\\"q\\"","back\\\\slash","NULL",""}')).toEqual(['a', 'b c', 'd,e', null, '"q"', 'back\\slash', 'NULL', '']);
    expect(parseArrayLiteral('{{1,2},{3,4}}')).toEqual([['1', '2'], ['3', '4']]);
    expect(parseArrayLiteral('{}')).toEqual([]);
    expect(parseArrayLiteral('[0:1]={7,8}')).toEqual(['7', '8']);
    expect(parseArrayLiteral('{{{1}},{{2}}}')).toEqual([[['1']], [['2']]]);
    expect(parseArrayLiteral('{Zürich,🚀,"tab\there"}')).toEqual(['Zürich', '🚀', 'tab\there']);
    expect(parseArrayLiteral('{ a , b }')).toEqual(['a', 'b']);
    expect(parseArrayLiteral('{a')).toBeNull();
    expect(parseArrayLiteral('{a}x')).toBeNull();
  });

  it('converts elements by the element type', () => {
    expect(run(arrayConverter('number'), '{1.5,NaN,-2,NULL}').value).toBe('[1.5,null,-2,null]');
    expect(run(arrayConverter('boolean'), '{t,f,NULL}').value).toBe('[true,false,null]');
    expect(run(arrayConverter('string'), '{"{braces}","quote\\"inside"}').value).toBe('["{braces}","quote\\"inside"]');
    expect(run(arrayConverter('string'), '{broken').codes).toEqual(['invalid_value']);
  });
});
