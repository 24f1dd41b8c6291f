import type { ColumnMapping, NextBatchPreview, ResultsView as Results } from '@vmp/shared/api';
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client.ts';
import { ApiError, errorMessage } from '../api/errors.ts';
import { useUi } from '../stores/ui.ts';
import { useWorkspace } from '../stores/workspace.ts';
import { type MissingColumns, ResultsMapping } from './ResultsMapping.tsx';
import { ResultsTable } from './ResultsTable.tsx';

// Recharts is most of the renderer's code: loaded with the first chart, not with the app.
const ResultsChart = lazy(() => import('./ResultsChart.tsx').then((m) => ({ default: m.ResultsChart })));

/** The Results tab: import ad reports, see every component ranked with its interval, plan the next batch. */
export function ResultsView({ projectId }: { projectId: string }) {
  const [results, setResults] = useState<Results | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mapping, setMapping] = useState<MissingColumns | null>(null);
  const [next, setNext] = useState<NextBatchPreview | null>(null);
  const [count, setCount] = useState(10);
  const input = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    try {
      setResults(await api().call('results.get', { projectId }));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [projectId]);
  // The project reloads on every project.changed (an import in another window, a sync pull): so do its results.
  const detail = useWorkspace((s) => s.detail);
  useEffect(() => {
    if (detail === undefined) return;
    void load();
  }, [load, detail]);

  const importFile = async (name: string, content: string, columns?: ColumnMapping) => {
    setError(null);
    try {
      const view = await api().call('results.import', {
        projectId,
        file: { name, content },
        ...(columns ? { mapping: columns } : {}),
      });
      setResults(view);
      setMapping(null);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'REPORT_COLUMNS_MISSING') {
        const d = e.details as { file: string; missing: string[]; headers: string[] };
        setMapping({ file: d.file, missing: d.missing, headers: d.headers, content });
      } else setError(errorMessage(e));
    }
  };
  const onFiles = async (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) await importFile(file.name, await file.text());
    if (input.current) input.current.value = '';
  };
  const planNext = async () => {
    setError(null);
    try {
      setNext(await api().call('results.nextBatch', { projectId, count }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const groups = [...new Set(results?.components.map((c) => c.group) ?? [])];
  return (
    <div className="results" data-testid="results-view">
      <div className="results-actions">
        <button type="button" className="button primary" onClick={() => input.current?.click()}>
          Import report (CSV)
        </button>
        <input
          ref={input}
          type="file"
          accept=".csv,text/csv"
          multiple
          hidden
          data-testid="results-file"
          onChange={(e) => void onFiles(e.target.files)}
        />
        <span className="results-next">
          <label>
            Next batch of{' '}
            <input
              type="number"
              min={1}
              max={1000}
              value={count}
              aria-label="Next batch size"
              onChange={(e) => setCount(Math.max(1, Math.min(1000, Number(e.target.value) || 1)))}
            />
          </label>
          <button type="button" className="button" onClick={() => void planNext()}>
            Next batch
          </button>
        </span>
      </div>
      {error ? (
        <div className="results-error" role="alert">
          {error}
        </div>
      ) : null}
      {mapping ? (
        <ResultsMapping
          problem={mapping}
          onCancel={() => setMapping(null)}
          onImport={(m) => void importFile(mapping.file, mapping.content, m)}
        />
      ) : null}
      {!results ? (
        <div className="loading">Loading results…</div>
      ) : results.imports.length === 0 ? (
        <div className="empty-state compact">
          <p>
            Export a report from Meta Ads Manager or TikTok Ads Manager as CSV (with the Ad name column) and import it
            here: every hook, body, call to action and headline is ranked by its click-through rate.
          </p>
        </div>
      ) : (
        <>
          <p className="results-note">
            {results.ads} ads rendered; components with fewer than {results.minImpressions.toLocaleString('en-US')}{' '}
            impressions show “not enough data” and are not ranked. Bars: CTR; whiskers: 95 % Wilson interval.
          </p>
          <Suspense fallback={<p className="results-note">Loading the charts…</p>}>
            <div className="results-charts">
              {groups.map((g) => (
                <ResultsChart key={g} group={g} components={results.components.filter((c) => c.group === g)} />
              ))}
            </div>
          </Suspense>
          <ResultsTable components={results.components} />
        </>
      )}
      {next ? (
        <section className="results-section" data-testid="next-batch">
          <h3>Next batch: {next.combinations.length} new ads</h3>
          <ul className="results-explain">
            {next.explain.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p className="mono">{next.combinations.map((c) => c.adName).join('  ')}</p>
          <button
            type="button"
            className="button primary"
            disabled={next.combinations.length === 0}
            onClick={() =>
              void api()
                .call('results.renderNextBatch', { projectId, count })
                .then(
                  () => useUi.getState().setTab('renders'),
                  (e: unknown) => setError(errorMessage(e)),
                )
            }
          >
            Render these {next.combinations.length}
          </button>
        </section>
      ) : null}
      {results?.unmatched.length ? (
        <section className="results-section" data-testid="results-unmatched">
          <h3>Rows that match no ad ({results.unmatched.length})</h3>
          <ul>
            {results.unmatched.map((u) => (
              <li key={`${u.file}:${u.line}`}>
                {u.file}:{u.line} “{u.adName || '(no ad name)'}” — {u.impressions.toLocaleString('en-US')} impressions
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {results?.imports.length ? (
        <section className="results-section" data-testid="results-imports">
          <h3>Imports</h3>
          <ul>
            {[...results.imports].reverse().map((i) => (
              <li key={i.id}>
                {new Date(i.importedAt).toLocaleString()} — {i.file} (
                {i.platform === 'other' ? 'mapped CSV' : i.platform === 'meta' ? 'Meta' : 'TikTok'}): {i.rows} rows,{' '}
                {i.counted} counted
                {i.counted < i.rows ? ' (the rest replaced by a later import of the same ads and dates)' : ''}{' '}
                <button
                  type="button"
                  className="button small"
                  onClick={() =>
                    void api()
                      .call('results.removeImport', { projectId, importId: i.id })
                      .then(setResults, (e: unknown) => setError(errorMessage(e)))
                  }
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
