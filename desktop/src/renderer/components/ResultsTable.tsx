import type { ComponentResult } from '@vmp/shared/api';
import { useState } from 'react';

type Key = 'group' | 'code' | 'impressions' | 'clicks' | 'ctr' | 'hookRate' | 'spend' | 'conversions' | 'cpa' | 'rank';
const COLUMNS: Array<{ key: Key; label: string; num?: boolean }> = [
  { key: 'group', label: 'Group' },
  { key: 'code', label: 'Code' },
  { key: 'rank', label: 'Rank', num: true },
  { key: 'impressions', label: 'Impressions', num: true },
  { key: 'clicks', label: 'Clicks', num: true },
  { key: 'ctr', label: 'CTR [95 %]', num: true },
  { key: 'hookRate', label: 'Hook rate', num: true },
  { key: 'spend', label: 'Spend', num: true },
  { key: 'conversions', label: 'Conv.', num: true },
  { key: 'cpa', label: 'CPA', num: true },
];

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(2)} %`);
const money = (x: number | null) => (x === null ? '–' : x.toFixed(2));

/** Every component, sortable by any column (click a header; again to reverse). Empty values sort last. */
export function ResultsTable({ components }: { components: readonly ComponentResult[] }) {
  const [sort, setSort] = useState<{ key: Key; desc: boolean }>({ key: 'rank', desc: false });
  const rows = [...components].sort((a, b) => {
    const x = a[sort.key];
    const y = b[sort.key];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sort.desc ? -c : c;
  });
  return (
    <div className="table-wrap">
      <table className="plan-table results-table" data-testid="results-table">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                scope="col"
                className={c.num ? 'num' : undefined}
                aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
              >
                <button
                  type="button"
                  className="sort-button"
                  onClick={() =>
                    setSort((s) => ({
                      key: c.key,
                      desc: s.key === c.key ? !s.desc : c.num === true && c.key !== 'rank',
                    }))
                  }
                >
                  {c.label}
                  {sort.key === c.key ? (sort.desc ? ' ↓' : ' ↑') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.group}:${r.code}`} className={r.enoughData ? undefined : 'is-thin'}>
              <td>{r.group === 'headline' ? 'Headline' : r.group}</td>
              <td className="mono">{r.code}</td>
              <td className="num">{r.rank ?? '–'}</td>
              <td className="num">{r.impressions.toLocaleString('en-US')}</td>
              <td className="num">{r.clicks.toLocaleString('en-US')}</td>
              <td className="num">
                {r.enoughData
                  ? `${pct(r.ctr)} [${pct(r.ctrLow)}–${pct(r.ctrHigh)}]`
                  : `not enough data${r.ctr === null ? '' : ` (${pct(r.ctr)})`}`}
              </td>
              <td className="num">{pct(r.hookRate)}</td>
              <td className="num">{money(r.spend)}</td>
              <td className="num">{r.conversions.toLocaleString('en-US')}</td>
              <td className="num">{money(r.cpa)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
