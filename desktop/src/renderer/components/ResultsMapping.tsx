import type { ColumnMapping, ReportField } from '@vmp/shared/api';
import { useState } from 'react';
import { Modal } from './Modal.tsx';

const FIELDS: Array<{ field: ReportField; label: string }> = [
  { field: 'adName', label: 'Ad name' },
  { field: 'impressions', label: 'Impressions' },
  { field: 'clicks', label: 'Clicks' },
  { field: 'spend', label: 'Spend' },
  { field: 'conversions', label: 'Conversions' },
  { field: 'hookViews', label: '3- or 2-second video views' },
  { field: 'start', label: 'Reporting start' },
  { field: 'end', label: 'Reporting end' },
];

export interface MissingColumns {
  file: string;
  missing: string[];
  headers: string[];
  content: string;
}

/** A CSV the app does not recognise: the user names the column of each field, then it is imported again. */
export function ResultsMapping({
  problem,
  onCancel,
  onImport,
}: {
  problem: MissingColumns;
  onCancel: () => void;
  onImport: (mapping: ColumnMapping) => void;
}) {
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const ready = problem.missing.every((f) => mapping[f as ReportField]);
  return (
    <Modal
      title="Which columns are which?"
      onClose={onCancel}
      className="results-mapping"
      footer={
        <>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="button primary" disabled={!ready} onClick={() => onImport(mapping)}>
            Import
          </button>
        </>
      }
    >
      <p role="alert">
        “{problem.file}” has no {problem.missing.map((m) => FIELDS.find((f) => f.field === m)?.label ?? m).join(' or ')}{' '}
        column that the app recognises. Pick the column that holds each:
      </p>
      <div className="mapping-fields">
        {FIELDS.map(({ field, label }) => (
          <label key={field} className="field">
            <span>
              {label}
              {problem.missing.includes(field) ? ' (required)' : ''}
            </span>
            <select
              aria-label={label}
              value={mapping[field] ?? ''}
              onChange={(e) => setMapping((m) => ({ ...m, [field]: e.target.value || undefined }))}
            >
              <option value="">{problem.missing.includes(field) ? 'Choose a column…' : 'As recognised'}</option>
              {problem.headers.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
    </Modal>
  );
}
