import { importClips, render } from '../actions.ts';
import { filesOf } from '../lib/files.ts';
import { formatCount, formatDuration } from '../lib/format.ts';
import { affordability, useLicensing } from '../stores/licensing.ts';
import { usePlan } from '../stores/plan.ts';
import { useUi } from '../stores/ui.ts';
import { useWorkspace } from '../stores/workspace.ts';
import { Icon } from './Icon.tsx';
import { ShortfallActions } from './Licensing.tsx';

export function PlanPreviewView() {
  const preview = usePlan((s) => s.preview);
  const error = usePlan((s) => s.error);
  const loading = usePlan((s) => s.loading);
  const credits = useLicensing((s) => s.credits);
  const detail = useWorkspace((s) => s.detail);
  if (!detail) return null;
  const clips = new Map(detail.clips.map((c) => [c.id, c]));
  if (error) {
    return (
      <div className="empty-state compact" role="alert">
        <Icon name="warning" size={24} />
        <h2>Cannot plan yet</h2>
        <p>{error}</p>
      </div>
    );
  }
  if (!preview) return <div className="loading">Planning…</div>;
  if (preview.count === 0) {
    const noClips = detail.clips.length === 0;
    return (
      <div className="preview">
        <Warnings warnings={preview.warnings} />
        <div className="empty-state compact">
          <div className="empty-icon" aria-hidden="true">
            <Icon name="layers" size={26} />
          </div>
          <h2>Nothing to render yet</h2>
          <p>
            {noClips
              ? 'Import a few clips first.'
              : detail.project.mode === 'manual'
                ? 'Put at least one usable clip in every group. Each output takes one clip from each group, in order.'
                : 'Auto mode needs enough usable clips for one output.'}
          </p>
          {noClips ? (
            <button type="button" className="button primary" onClick={() => void importClips()}>
              <Icon name="upload" /> Import clips
            </button>
          ) : (
            <button type="button" className="button" onClick={() => useUi.getState().setTab('mix')}>
              Go to groups
            </button>
          )}
        </div>
      </div>
    );
  }
  const avg = preview.count ? preview.totalDuration / preview.count : 0;
  return (
    <div className={loading ? 'preview is-loading' : 'preview'} data-testid="plan-preview">
      <div className="stats">
        <Stat label="Possible combinations" value={formatCount(preview.possible)} />
        <Stat label="Will render" value={formatCount(filesOf(preview))} accent />
        <Stat
          label="Total duration"
          value={formatDuration(preview.totalDuration)}
          sub={`~${formatDuration(avg)} each`}
        />
        {credits && !credits.licensed ? (
          <Stat label="Credit cost" value="0" sub="unlicensed: watermarked" />
        ) : (
          <Stat label="Credit cost" value={formatCount(preview.creditCost)} />
        )}
        {credits?.licensed ? (
          <Stat
            label="Available credits"
            value={credits.available === null ? '—' : formatCount(Math.max(0, credits.available))}
            {...(credits.pendingUsage ? { sub: `${credits.pendingUsage} pending sync` } : {})}
          />
        ) : null}
        <Stat label="Seed" value={String(preview.seed)} />
      </div>
      <Warnings warnings={preview.warnings} />
      <div className="table-wrap">
        <table className="plan-table">
          <caption className="visually-hidden">First planned outputs</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                #
              </th>
              <th scope="col">Clips, in play order, and headline</th>
              <th scope="col" className="num">
                Duration
              </th>
            </tr>
          </thead>
          <tbody>
            {preview.combinations.map((combo) => {
              const duration = combo.clipIds.reduce((sum, id) => sum + (clips.get(id)?.info?.duration ?? 0), 0);
              const headline = combo.headlines?.find((h) => h);
              return (
                <tr key={combo.index}>
                  <td className="num muted">{combo.index + 1}</td>
                  <td>
                    <span className="combo">
                      {combo.clipIds.map((id, i) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: a clip may appear twice; its position is its identity.
                        <span key={`${id}-${i}`} className="combo-clip">
                          {i > 0 ? (
                            <span className="combo-arrow" aria-hidden="true">
                              →
                            </span>
                          ) : null}
                          <span className="chip">{clips.get(id)?.name ?? id}</span>
                        </span>
                      ))}
                    </span>
                    {headline ? <span className="combo-headline">“{headline}”</span> : null}
                  </td>
                  <td className="num">{formatDuration(duration)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {preview.count > preview.combinations.length ? (
          <p className="table-note">
            Showing the first {preview.combinations.length} of {formatCount(preview.count)} outputs.
          </p>
        ) : null}
      </div>
      <CreditsLine cost={preview.creditCost} credits={credits} />
      <div className="preview-footer">
        <button type="button" className="button primary" onClick={() => void render()}>
          <Icon name="render" /> Render {formatCount(filesOf(preview))}{' '}
          {filesOf(preview) === preview.count ? 'output' : 'file'}
          {filesOf(preview) === 1 ? '' : 's'}
        </button>
      </div>
    </div>
  );
}

function CreditsLine({
  cost,
  credits,
}: {
  cost: number;
  credits: ReturnType<typeof useLicensing.getState>['credits'];
}) {
  const verdict = affordability(cost, credits);
  if (verdict.kind === 'free') {
    return (
      <p className="plan-credits" data-testid="plan-credits">
        Unlicensed: outputs carry a “Video Mixer Pro — unlicensed” watermark; nothing is charged.
      </p>
    );
  }
  if (verdict.kind === 'unknown') {
    return (
      <p className="plan-credits" data-testid="plan-credits">
        Costs {formatCount(cost)} credit{cost === 1 ? '' : 's'}; the balance is not known yet.
      </p>
    );
  }
  if (verdict.kind === 'ok') {
    return (
      <p className="plan-credits" data-testid="plan-credits">
        Costs {formatCount(cost)} of your {formatCount(verdict.available)} available credits.
      </p>
    );
  }
  return (
    <div className="plan-credits is-short" role="alert" data-testid="plan-credits">
      <p>
        This job cannot be paid: it needs {formatCount(cost)} credit{cost === 1 ? '' : 's'};{' '}
        {formatCount(verdict.available)} {verdict.available === 1 ? 'is' : 'are'} available.
      </p>
      <ShortfallActions needed={cost} available={verdict.available} />
    </div>
  );
}

function Stat({ label, value, sub, accent }: { label: string; value: string; sub?: string; accent?: boolean }) {
  return (
    <div className={accent ? 'stat is-accent' : 'stat'}>
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
      {sub ? <span className="stat-sub">{sub}</span> : null}
    </div>
  );
}

function Warnings({ warnings }: { warnings: string[] }) {
  if (!warnings.length) return null;
  return (
    <ul className="warnings" aria-label="Warnings">
      {warnings.map((w) => (
        <li key={w}>
          <Icon name="warning" size={14} /> {w}
        </li>
      ))}
    </ul>
  );
}
