import type { RenderSettings, Strategy } from '@vmp/shared';
import { fastStrategy } from './fast.ts';
import type { RenderStrategy } from './types.ts';
import { uniqueStrategy } from './unique.ts';

export type { AssemblyCommand, ReadyOutput, RenderStrategy } from './types.ts';

const STRATEGIES: Record<Strategy, RenderStrategy> = { fast: fastStrategy, unique: uniqueStrategy };

/** The strategy these settings render with: the one place a strategy name is looked at. */
export function strategyOf(settings: Pick<RenderSettings, 'strategy'>): RenderStrategy {
  return STRATEGIES[settings.strategy];
}
