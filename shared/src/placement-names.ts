import { z } from 'zod';

/**
 * The placement names, in the app's order. Their own module: media.ts (render settings, combinations) needs the
 * names while placements.ts needs media's formats, so both import them from here and no list is written twice.
 */
export const PLACEMENT_NAMES = ['tiktok', 'reels', 'shorts', 'feed-4x5', 'feed-1x1', 'youtube-16x9'] as const;
export const PlacementName = z.enum(PLACEMENT_NAMES);
export type PlacementName = z.infer<typeof PlacementName>;
