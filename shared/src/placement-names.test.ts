import { describe, expect, it } from 'vitest';
import { RenderSettingsPatch } from './api/methods.ts';
import { Combination, RenderSettings } from './media.ts';
import { PLACEMENT_NAMES, PLACEMENTS, PlacementName } from './placements.ts';

// media.ts cannot import placements.ts (placements.ts reads media's formats): the names live in placement-names.ts
// and every list is that one. This fails when one of them is written out again and drifts.
describe('placement names', () => {
  it('are the same list in the placements, the render settings, a combination and the app API', () => {
    const lists = {
      placements: Object.keys(PLACEMENTS),
      enum: PlacementName.options,
      settings: RenderSettings.shape.placements.unwrap().element.options,
      combination: Combination.shape.placement.unwrap().options,
      api: RenderSettingsPatch.shape.placements.unwrap().element.options,
    };
    for (const [where, names] of Object.entries(lists)) expect(names, where).toEqual([...PLACEMENT_NAMES]);
  });
});
