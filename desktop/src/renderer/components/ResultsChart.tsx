import type { ComponentResult } from '@vmp/shared/api';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ErrorBar,
  LabelList,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/**
 * One group's components: CTR as a bar, its 95 % Wilson interval as an error bar, ranked first. Components below
 * the minimum are drawn faint and labelled "not enough data".
 */
export function ResultsChart({ group, components }: { group: string; components: readonly ComponentResult[] }) {
  const data = [...components]
    .sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || (b.ctr ?? 0) - (a.ctr ?? 0))
    .map((c) => ({
      code: c.code,
      ctr: (c.ctr ?? 0) * 100,
      // ErrorBar takes [below, above] offsets from the bar's value.
      interval: c.ctr === null ? [0, 0] : [(c.ctr - (c.ctrLow ?? c.ctr)) * 100, ((c.ctrHigh ?? c.ctr) - c.ctr) * 100],
      label: c.ctr === null ? 'no data' : c.enoughData ? pct(c.ctr) : 'not enough data',
      enough: c.enoughData,
      text:
        c.ctr === null
          ? 'no impressions'
          : `CTR ${pct(c.ctr)} [${pct(c.ctrLow!)}–${pct(c.ctrHigh!)}], ${c.impressions.toLocaleString('en-US')} impressions`,
    }));
  const height = 40 + data.length * 34;
  return (
    <figure className="results-chart" data-testid={`results-chart-${group}`}>
      <figcaption>{group === 'headline' ? 'Headline' : group}: CTR with 95 % interval</figcaption>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 110, bottom: 4, left: 8 }}>
          <CartesianGrid horizontal={false} stroke="#262932" />
          <XAxis type="number" unit=" %" stroke="#9097a6" tick={{ fontSize: 11 }} domain={[0, 'auto']} />
          <YAxis type="category" dataKey="code" stroke="#9097a6" width={52} tick={{ fontSize: 12 }} />
          <Tooltip
            cursor={{ fill: 'rgba(110,139,255,0.08)' }}
            contentStyle={{ background: '#181a20', border: '1px solid #353944', color: '#e7e9ee' }}
            formatter={(_v, _n, item) => [(item.payload as { text: string }).text, 'CTR']}
          />
          <Bar dataKey="ctr" isAnimationActive={false} barSize={16}>
            {data.map((d) => (
              <Cell key={d.code} fill={d.enough ? '#6e8bff' : 'rgba(110,139,255,0.3)'} />
            ))}
            <ErrorBar
              dataKey="interval"
              width={6}
              strokeWidth={1.5}
              stroke="#e7e9ee"
              direction="x"
              isAnimationActive={false}
            />
            <LabelList dataKey="label" position="right" offset={28} fill="#9097a6" fontSize={11} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
