import { describe, expect, it } from 'vitest';
import { MissingColumnsError } from './errors.ts';
import { MAPPED_CSV, META_CSV, TIKTOK_CSV } from './fixtures.testing.ts';
import { parseMapping, parseReport } from './report.ts';

describe('reading ad platform exports', () => {
  it('recognises a Meta Ads Manager export by its headers and reads every figure', () => {
    const report = parseReport('meta.csv', META_CSV);
    expect(report.platform).toBe('meta');
    expect(report.currency).toBe('EUR');
    expect(report.columns).toMatchObject({
      adName: 'Ad name',
      spend: 'Amount spent (EUR)',
      clicks: 'Link clicks',
      conversions: 'Results',
      hookViews: '3-second video plays',
    });
    expect(report.rows).toHaveLength(3);
    expect(report.rows[0]).toEqual({
      line: 2,
      adName: 'H1-B1-C1-T1',
      adId: null,
      impressions: 45000,
      clicks: 1350,
      spend: 1234.5,
      conversions: 27,
      hookViews: 12000,
      start: '2026-11-01',
      end: '2026-11-07',
    });
    expect(report.rows[1]).toMatchObject({ adName: 'H2-B1-C1-T1 - Copy', spend: 80, impressions: 10000 });
    expect(report.rows[2]).toMatchObject({ adName: 'Retargeting, old creative', hookViews: 0, conversions: 0 });
  });

  it('recognises a TikTok Ads Manager export', () => {
    const report = parseReport('tiktok.csv', TIKTOK_CSV);
    expect(report.platform).toBe('tiktok');
    expect(report.columns).toMatchObject({
      clicks: 'Clicks (destination)',
      spend: 'Cost',
      hookViews: '2-second video views',
    });
    expect(
      report.rows.map((r) => [r.adName, r.adId, r.impressions, r.clicks, r.spend, r.conversions, r.hookViews]),
    ).toEqual([
      ['Summer_H1-B1-C1-T1_tiktok', '1789000000001', 20000, 500, 210, 10, 9000],
      ['H2-B1-C1-T1', '1789000000002', 8000, 80, 60, 0, 2000],
    ]);
    expect(report.rows[0]!.start).toBe('');
  });

  it('reads any other CSV through a column mapping', () => {
    const mapping = parseMapping([
      'adName=Creative',
      'impressions="Impr."',
      'clicks=Taps',
      'spend=Budget used',
      'conversions=Installs',
    ]);
    const report = parseReport('other.csv', MAPPED_CSV, mapping);
    expect(report.platform).toBe('other');
    expect(report.rows[0]).toMatchObject({
      adName: 'H1-B1-C1-T1',
      impressions: 5000,
      clicks: 150,
      spend: 75.5,
      conversions: 3,
    });
    expect(() => parseMapping(['impression=Impr.'])).toThrow(/adName, adId, impressions/);
  });

  it('names the file and each missing column when a report lacks ad name or impressions', () => {
    let error: unknown;
    try {
      parseReport('other.csv', MAPPED_CSV);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingColumnsError);
    // "Impr." is a common spelling of impressions; "Creative" is not one of an ad name.
    expect((error as MissingColumnsError).missing).toEqual(['adName']);
    expect((error as Error).message).toMatch(/"other\.csv" has no "adName" column/);
    expect((error as Error).message).toContain('"Creative"');
    expect(() => parseReport('views.csv', 'Name,Views\nx,1\n')).toThrow(
      /"views\.csv" has no "adName" or "impressions" column/,
    );
  });

  it('warns about a cell that is not a number, naming file, line and column', () => {
    const report = parseReport('x.csv', 'Ad name,Impressions\nH1,lots\n');
    expect(report.rows[0]!.impressions).toBe(0);
    expect(report.warnings).toEqual(['x.csv line 2: "lots" in column "Impressions" is not a number; read as 0.']);
  });
});
