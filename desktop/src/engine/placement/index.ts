export { expandPlacements, type PlacementSkip, placementSettings } from './expand.ts';
