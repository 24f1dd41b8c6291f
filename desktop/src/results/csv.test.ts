import { describe, expect, it } from 'vitest';
import { NotCsvError, parseCsv } from './csv.ts';
import { parseNumber } from './numbers.ts';

describe('CSV (RFC 4180)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF, a BOM and empty cells', () => {
    const text = '\uFEFFAd name,Spend,Note\r\n"H1-B1, copy","$1,234.50","say ""hi""\nthere"\r\nH2-B1,,\r\n';
    expect(parseCsv(text, 'x.csv')).toEqual([
      ['Ad name', 'Spend', 'Note'],
      ['H1-B1, copy', '$1,234.50', 'say "hi"\nthere'],
      ['H2-B1', '', ''],
    ]);
  });

  it('finds the delimiter (semicolon and tab exports) from the header line', () => {
    expect(parseCsv('a;b\n1,5;2\n', 'x.csv')).toEqual([
      ['a', 'b'],
      ['1,5', '2'],
    ]);
    expect(parseCsv('a\tb\n1\t2', 'x.tsv')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('refuses what is not CSV: binary data, an unterminated quote, nothing at all', () => {
    expect(() => parseCsv('PK\u0003\u0004\u0000\u0000binary', 'report.xlsx')).toThrow(NotCsvError);
    expect(() => parseCsv('PK\u0003\u0004\u0000\u0000binary', 'report.xlsx')).toThrow(/report\.xlsx.*not a CSV/);
    expect(() => parseCsv('a,b\n"open,2\n', 'x.csv')).toThrow(/quote.*line 2/);
    expect(() => parseCsv('  \n', 'empty.csv')).toThrow(/empty/);
  });
});

describe('numbers in exports', () => {
  it('reads thousands separators, currency symbols and codes, percentages and blanks', () => {
    expect(parseNumber('1,234')).toBe(1234);
    expect(parseNumber('1,234,567.5')).toBe(1234567.5);
    expect(parseNumber('$1,234.50')).toBe(1234.5);
    expect(parseNumber('1.234,50 €')).toBe(1234.5);
    expect(parseNumber('12,5')).toBe(12.5);
    expect(parseNumber('USD 99.90')).toBe(99.9);
    expect(parseNumber('1 234')).toBe(1234);
    expect(parseNumber('\u00a0')).toBeNull();
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('-')).toBeNull();
    expect(parseNumber('2.5%')).toBeCloseTo(0.025);
    expect(parseNumber('(12.00)')).toBe(-12);
    expect(parseNumber('abc')).toBeNaN();
  });
});
