export {
  type AutoPlanInput,
  type ClipRule,
  countPossible,
  type ManualPlanInput,
  type Plan,
  type PlanClip,
  type PlanGroup,
  type PlanInput,
  type PossibleCount,
  planCombinations,
  summarisePlan,
} from './planner.ts';
export { createRng, type Rng } from './prng.ts';
