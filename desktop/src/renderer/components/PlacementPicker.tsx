import { PLACEMENT_NAMES, PLACEMENTS, type PlacementName } from '@vmp/shared/placements';
import { useWorkspace } from '../stores/workspace.ts';

const SHORT: Record<PlacementName, string> = {
  tiktok: 'TikTok',
  reels: 'Reels · Stories',
  shorts: 'Shorts',
  'feed-4x5': 'Feed 4:5',
  'feed-1x1': 'Feed 1:1',
  'youtube-16x9': 'YouTube',
};

/** Multi-select of placements: every combination is made once per placement ticked; none: the plain format below. */
export function PlacementPicker() {
  const settings = useWorkspace((s) => s.detail?.project.settings);
  if (!settings) return null;
  const chosen = settings.placements;
  const toggle = (name: PlacementName) => {
    const next = chosen.includes(name) ? chosen.filter((n) => n !== name) : [...chosen, name];
    // Keep the app's order, whatever order they were ticked in.
    void useWorkspace.getState().updateSettings({ placements: PLACEMENT_NAMES.filter((n) => next.includes(n)) });
  };
  return (
    <fieldset className="field placement-picker">
      <legend className="field-label">Placements</legend>
      <div className="placement-tiles">
        {PLACEMENT_NAMES.map((name) => {
          const p = PLACEMENTS[name];
          const on = chosen.includes(name);
          return (
            <label
              key={name}
              className={on ? 'placement-tile is-active' : 'placement-tile'}
              title={`${p.label}: ${p.width}×${p.height}, up to ${p.maxDuration >= 3600 ? `${Math.round(p.maxDuration / 3600)} h` : p.maxDuration >= 600 ? `${Math.round(p.maxDuration / 60)} min` : `${p.maxDuration} s`}`}
            >
              <input type="checkbox" name="placement" value={name} checked={on} onChange={() => toggle(name)} />
              <span className={`aspect-shape format-${p.format.replace(':', 'x')}`} aria-hidden="true" />
              <span className="placement-name">{SHORT[name]}</span>
              <span className="aspect-use">
                {p.width}×{p.height}
              </span>
            </label>
          );
        })}
      </div>
      <p className="field-hint" data-testid="placement-summary">
        {chosen.length === 0
          ? 'None ticked: one video per combination in the format below.'
          : `Each combination is made ${chosen.length === 1 ? 'for' : 'once for each of'} ${chosen.map((n) => SHORT[n]).join(', ')}; text stays in each one's safe zone and every file is checked against it.`}
      </p>
    </fieldset>
  );
}
