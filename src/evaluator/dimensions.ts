import { z } from 'zod';

/** The 8 rubric dimensions. Names must match the headings of references/interviewer-guide.md (a test checks). */
export const DimensionId = z.enum([
  'problem_navigation',
  'technical_depth',
  'technical_breadth',
  'system_design',
  'tradeoff_analysis',
  'production_awareness',
  'strategic_thinking',
  'communication',
]);
export type DimensionId = z.infer<typeof DimensionId>;

export const DIMENSION_NAMES: Readonly<Record<DimensionId, string>> = {
  problem_navigation: 'Problem Navigation & Formulation',
  technical_depth: 'Technical Depth',
  technical_breadth: 'Technical Breadth',
  system_design: 'System Design & Architecture',
  tradeoff_analysis: 'Trade-off Analysis',
  production_awareness: 'Production & Operational Awareness',
  strategic_thinking: 'Strategic Thinking & Business Impact',
  communication: 'Communication & Collaboration',
};
