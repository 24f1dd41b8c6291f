import type { Group } from '@vmp/shared/api';
import { useEffect, useId, useState } from 'react';
import { plural } from '../lib/format.ts';
import { headlineLines } from '../lib/text.ts';
import { useText } from '../stores/text.ts';

/** A group's Text tab: one headline per line; each output shows one of them over this group's clip. */
export function GroupText({ group }: { group: Group }) {
  const saved = (group.headlines ?? []).join('\n');
  const [draft, setDraft] = useState(saved);
  const id = useId();
  useEffect(() => setDraft(saved), [saved]);
  const lines = headlineLines(draft);
  const commit = () => {
    if (lines.join('\n') === saved) return;
    void useText.getState().setHeadlines(group.id, lines);
  };
  return (
    <div className="group-text">
      <label className="field-label" htmlFor={id}>
        Headlines, one per line
      </label>
      <textarea
        id={id}
        className="input group-text-input"
        data-testid="headlines-input"
        value={draft}
        rows={6}
        placeholder={'Stop scrolling\nWait for it…'}
        aria-describedby={`${id}-note`}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            commit();
          }
          if (e.key === 'Escape' && draft !== saved) {
            e.preventDefault();
            e.stopPropagation();
            setDraft(saved);
          }
        }}
      />
      <span id={`${id}-note`} className="field-hint" data-testid="headlines-count">
        {lines.length
          ? `${plural(lines.length, 'headline')}: each output shows one over this group's clip. Saved on leaving the field or Ctrl+Enter.`
          : 'No headlines. Each line becomes one variant (outputs × the number of lines).'}
      </span>
    </div>
  );
}
