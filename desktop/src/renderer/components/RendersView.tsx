import { useVirtualizer } from '@tanstack/react-virtual';
import type { Job, Output } from '@vmp/shared/api';
import type { OutputFormat } from '@vmp/shared/media';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { render } from '../actions.ts';
import { api } from '../api/client.ts';
import { filesOf } from '../lib/files.ts';
import { formatCount, formatDuration, formatEta, formatPercent, formatRelativeTime, plural } from '../lib/format.ts';
import { useApp } from '../stores/app.ts';
import { useJobs } from '../stores/jobs.ts';
import { usePlan } from '../stores/plan.ts';
import { OUTPUT_PAGE, outputAt, pagesFor } from '../stores/reducers.ts';
import { useUi } from '../stores/ui.ts';
import { Icon } from './Icon.tsx';
import { Modal } from './Modal.tsx';
import { NearDuplicates } from './NearDuplicates.tsx';
import { PreflightBadge } from './PreflightBadge.tsx';
import { ShareLinkButton } from './ShareLinkButton.tsx';

const JOB_STATUS: Record<Job['status'], string> = {
  queued: 'Queued',
  running: 'Rendering',
  paused: 'Paused',
  completed: 'Done',
  failed: 'Finished with errors',
  cancelled: 'Cancelled',
};
const OUTPUT_STATUS: Record<Output['status'], string> = {
  pending: 'Waiting',
  processing: 'Rendering',
  completed: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function RendersView() {
  const jobs = useJobs((s) => s.jobs);
  const count = usePlan((s) => filesOf(s.preview));
  if (jobs.length === 0) {
    return (
      <div className="empty-state compact">
        <div className="empty-icon" aria-hidden="true">
          <Icon name="render" size={26} />
        </div>
        <h2>No renders yet</h2>
        <p>
          Check the plan in Preview, then render. Outputs appear here as they finish, and keep rendering if you close
          the window.
        </p>
        <button type="button" className="button primary" disabled={count === 0} onClick={() => void render()}>
          <Icon name="render" /> Render {count > 0 ? count : ''}
        </button>
      </div>
    );
  }
  return (
    <div className="renders">
      <QueueBar />
      <JobList jobs={jobs} />
      <SelectedNearDuplicates />
      <Gallery />
      <Player />
    </div>
  );
}

function SelectedNearDuplicates() {
  const job = useJobs((s) => s.jobs.find((j) => j.id === s.selectedJobId));
  return job ? <NearDuplicates job={job} /> : null;
}

function QueueBar() {
  const queue = useJobs((s) => s.queue);
  if (!queue) return null;
  return (
    <div className="queue-bar" data-testid="queue-bar">
      <span className={queue.paused ? 'pill pill-warning' : 'pill pill-ok'}>
        {queue.paused ? 'Queue paused' : 'Queue running'}
      </span>
      <span className="muted">
        {formatCount(queue.running)} rendering · {formatCount(queue.pending)} waiting · {queue.concurrency} at a time
      </span>
      <div className="titlebar-spacer" />
      <button type="button" className="button small" onClick={() => void useJobs.getState().setPaused(!queue.paused)}>
        <Icon name={queue.paused ? 'play' : 'pause'} size={14} /> {queue.paused ? 'Resume queue' : 'Pause queue'}
      </button>
    </div>
  );
}

function JobList({ jobs }: { jobs: Job[] }) {
  const selected = useJobs((s) => s.selectedJobId);
  return (
    <ul className="job-list" aria-label="Render jobs">
      {jobs.map((job) => {
        const active = job.status === 'running' || job.status === 'queued' || job.status === 'paused';
        const done = job.completed + job.failed + job.cancelled;
        return (
          <li
            key={job.id}
            className={`job-card status-${job.status}${selected === job.id ? ' is-selected' : ''}`}
            data-testid="job-card"
          >
            <button
              type="button"
              className="job-main"
              aria-pressed={selected === job.id}
              onClick={() => void useJobs.getState().selectJob(job.id)}
            >
              <span className="job-head">
                <span className="job-title">
                  {plural(job.total, 'output')} ·{' '}
                  {job.settings.placements.length ? job.settings.placements.join(', ') : job.settings.format} ·{' '}
                  {job.settings.strategy}
                </span>
                <span className={`pill pill-${job.status}`}>{JOB_STATUS[job.status]}</span>
              </span>
              <span className="progress" aria-hidden="true">
                <span className="progress-fill" style={{ width: `${job.progress * 100}%` }} />
              </span>
              <span className="job-meta">
                <span
                  data-testid="job-progress"
                  role="progressbar"
                  aria-label="Job progress"
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.floor(job.progress * 100)}
                >
                  {formatPercent(job.progress)}
                </span>
                <span>
                  {formatCount(job.completed)}/{formatCount(job.total)} done
                  {job.failed ? ` · ${formatCount(job.failed)} failed` : ''}
                  {job.cancelled ? ` · ${formatCount(job.cancelled)} cancelled` : ''}
                </span>
                <span>
                  {active
                    ? formatEta(job.etaSeconds)
                    : job.finishedAt
                      ? `finished ${formatRelativeTime(job.finishedAt)}`
                      : ''}
                </span>
                <span className="muted">started {formatRelativeTime(job.createdAt)}</span>
              </span>
            </button>
            <div className="job-actions">
              {active && done < job.total ? (
                <button
                  type="button"
                  className="button small"
                  aria-label="Cancel job"
                  onClick={() => void useJobs.getState().cancel(job.id)}
                >
                  <Icon name="stop" size={14} /> Cancel
                </button>
              ) : null}
              {!active && (job.failed > 0 || job.cancelled > 0) ? (
                <button type="button" className="button small" onClick={() => void useJobs.getState().retry(job.id)}>
                  <Icon name="retry" size={14} /> Retry {formatCount(job.failed + job.cancelled)}
                </button>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

const GAP = 12;
/** Card size per output format, so portrait thumbnails are not tiny strips in wide cards. */
export const CARD_LAYOUT: Record<OutputFormat, { minWidth: number; rowHeight: number }> = {
  '9:16': { minWidth: 150, rowHeight: 330 },
  '4:5': { minWidth: 170, rowHeight: 300 },
  '1:1': { minWidth: 180, rowHeight: 264 },
  '16:9': { minWidth: 240, rowHeight: 224 },
};

/** Outputs of the selected job: a virtualised grid that fetches pages as they come into view. */
function Gallery() {
  const outputs = useJobs((s) => s.outputs);
  const format = useJobs((s) => s.jobs.find((j) => j.id === s.selectedJobId)?.settings.format ?? '9:16');
  const { minWidth, rowHeight } = CARD_LAYOUT[format];
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const total = outputs?.total ?? 0;
  const columns = Math.max(1, Math.floor((width - 16 + GAP) / (minWidth + GAP)));
  const rows = Math.ceil(total / columns);
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 3,
  });
  // Another job may have another format: sizes are estimates only, so re-measure when they change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: rowHeight is the trigger, read through estimateSize.
  useEffect(() => virtualizer.measure(), [virtualizer, rowHeight]);
  const items = virtualizer.getVirtualItems();
  const firstRow = items[0]?.index ?? 0;
  const lastRow = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (!outputs) return;
    useJobs
      .getState()
      .ensurePages(pagesFor(firstRow * columns, (lastRow + 1) * columns - 1, outputs.total, OUTPUT_PAGE));
  }, [firstRow, lastRow, columns, outputs]);

  return (
    <section className="gallery" aria-label="Outputs">
      <div className="gallery-head">
        <h2>Outputs</h2>
        <span className="muted">{plural(total, 'output')}</span>
      </div>
      <div ref={scrollRef} className="gallery-scroll" data-testid="gallery">
        <div className="gallery-inner" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((row) => (
            <div
              key={row.key}
              className="gallery-row"
              style={{
                transform: `translateY(${row.start}px)`,
                gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
              }}
            >
              {Array.from({ length: columns }, (_, c) => {
                const index = row.index * columns + c;
                if (index >= total) return null;
                const output = outputs ? outputAt(outputs, index) : undefined;
                return output ? (
                  <OutputCard key={output.id} output={output} height={rowHeight - GAP} />
                ) : (
                  <div key={`p${index}`} className="output-card is-placeholder" style={{ height: rowHeight - GAP }} />
                );
              })}
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}

function basename(path: string | null): string | null {
  return path ? (path.split(/[\\/]/).pop() ?? null) : null;
}

export function OutputCard({ output, height }: { output: Output; height: number }) {
  const reveal = useApp((s) => s.info?.capabilities.reveal ?? false);
  // A thumbnail that failed (host busy or restarting) falls back to the index; an update retries it.
  const [brokenAt, setBrokenAt] = useState<number | null>(null);
  const done = output.status === 'completed';
  const showImage = done && brokenAt !== output.updatedAt;
  const name = basename(output.path) ?? `Output ${output.index + 1}`;
  return (
    <article
      className={`output-card status-${output.status}`}
      data-testid="output-card"
      data-status={output.status}
      aria-label={`${name}: ${OUTPUT_STATUS[output.status]}`}
      style={{ height }}
    >
      <button
        type="button"
        className="output-thumb"
        disabled={!done}
        aria-label={done ? `Play ${name}` : `${name} is not rendered yet`}
        onClick={() => useUi.getState().play(output.id)}
      >
        {showImage ? (
          <img
            src={api().mediaUrl('outputThumbnail', output.id)}
            alt=""
            loading="lazy"
            onError={() => setBrokenAt(output.updatedAt)}
          />
        ) : (
          <span className="output-index">#{output.index + 1}</span>
        )}
        {done ? (
          <span className="play-badge" aria-hidden="true">
            <Icon name="play" size={14} />
          </span>
        ) : null}
        {done && output.duration != null ? (
          <span className="duration-badge">{formatDuration(output.duration)}</span>
        ) : null}
      </button>
      <div className="output-body">
        <span className="output-name" title={output.path ?? name}>
          {name}
        </span>
        <div className="output-status">
          <span className={`pill pill-${output.status.toLowerCase()}`}>{OUTPUT_STATUS[output.status]}</span>
          {output.status === 'processing' ? <span className="muted">{formatPercent(output.progress)}</span> : null}
          <div className="titlebar-spacer" />
          {output.status === 'pending' || output.status === 'processing' ? (
            <button
              type="button"
              className="icon-button small"
              aria-label={`Cancel ${name}`}
              title="Cancel"
              onClick={() => void useJobs.getState().cancelOutput(output.id)}
            >
              <Icon name="stop" size={13} />
            </button>
          ) : null}
          {output.status === 'failed' || output.status === 'cancelled' ? (
            <button
              type="button"
              className="icon-button small"
              aria-label={`Retry ${name}`}
              title="Retry"
              onClick={() => void useJobs.getState().retryOutput(output.id)}
            >
              <Icon name="retry" size={13} />
            </button>
          ) : null}
          {done && reveal ? (
            <button
              type="button"
              className="icon-button small"
              aria-label={`Show ${name} in folder`}
              title="Show in folder"
              onClick={() => void useJobs.getState().reveal(output.id)}
            >
              <Icon name="folder" size={13} />
            </button>
          ) : null}
          {done ? <ShareLinkButton outputId={output.id} name={name} /> : null}
        </div>
        {output.preflight ? (
          <div className="output-preflight">
            <PreflightBadge preflight={output.preflight} name={name} />
          </div>
        ) : null}
        {output.status === 'processing' || output.status === 'pending' ? (
          <span className="progress thin" aria-hidden="true">
            <span className="progress-fill" style={{ width: `${output.progress * 100}%` }} />
          </span>
        ) : null}
        {output.worker ? (
          <span className="output-worker muted" title="Render farm worker (host:pid)">
            {output.status === 'completed' ? 'Rendered on' : output.status === 'processing' ? 'Rendering on' : 'Worker'}{' '}
            {output.worker}
          </span>
        ) : null}
        {output.error ? (
          <span className="output-error" title={output.error}>
            {output.error}
          </span>
        ) : null}
      </div>
    </article>
  );
}

function Player() {
  const playing = useUi((s) => s.playing);
  const output = useJobs((s) => {
    if (!playing || !s.outputs) return undefined;
    for (const page of Object.values(s.outputs.pages)) {
      const found = page.find((o) => o.id === playing);
      if (found) return found;
    }
    return undefined;
  });
  const reveal = useApp((s) => s.info?.capabilities.reveal ?? false);
  if (!playing) return null;
  const name = basename(output?.path ?? null) ?? 'Output';
  return (
    <Modal
      title={name}
      onClose={() => useUi.getState().play(null)}
      className="modal-player"
      footer={
        reveal ? (
          <button type="button" className="button" onClick={() => void useJobs.getState().reveal(playing)}>
            <Icon name="folder" /> Show in folder
          </button>
        ) : undefined
      }
    >
      {/* biome-ignore lint/a11y/useMediaCaption: generated marketing clips have no caption track. */}
      <video
        className="player"
        src={api().mediaUrl('output', playing)}
        controls
        autoPlay
        playsInline
        data-testid="player"
      />
    </Modal>
  );
}
