import type { Job } from '@vmp/shared/api';
import { formatCount, plural } from '../lib/format.ts';

/**
 * The near-duplicate report of a job made for placements: pairs of outputs of one placement whose first 3 seconds
 * look alike (engine/similarity), closest first. Platforms may group such ads in an auction; vary their hooks.
 */
export function NearDuplicates({ job }: { job: Job }) {
  if (job.nearDuplicates === undefined) return null;
  const pairs = job.nearDuplicates;
  const total = job.nearDuplicateCount ?? pairs?.length ?? 0;
  return (
    <section className="near-duplicates" aria-labelledby={`nd-${job.id}`} data-testid="near-duplicates">
      <div className="near-duplicates-head">
        <h2 id={`nd-${job.id}`}>Near-duplicates</h2>
        <span className="muted">
          {pairs === null
            ? job.completed + job.failed + job.cancelled < job.total
              ? 'Made once every output is rendered and checked.'
              : 'Comparing the openings of the outputs…'
            : total === 0
              ? 'No two outputs of one placement open alike.'
              : `${plural(total, 'pair')} whose first 3 s look alike${total > pairs.length ? ` (closest ${formatCount(pairs.length)} shown)` : ''}`}
        </span>
      </div>
      {pairs?.length ? (
        <table className="near-duplicates-table">
          <thead>
            <tr>
              <th scope="col">Placement</th>
              <th scope="col">Output</th>
              <th scope="col">Looks like</th>
              <th scope="col" className="num" title="Mean bits of 64 that differ per sampled frame (0: the same)">
                Distance
              </th>
            </tr>
          </thead>
          <tbody>
            {pairs.map((p) => (
              <tr key={`${p.placement}:${p.a}:${p.b}`}>
                <td>{p.placement}</td>
                <td className="file">{p.a}</td>
                <td className="file">{p.b}</td>
                <td className="num">{p.distance}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
