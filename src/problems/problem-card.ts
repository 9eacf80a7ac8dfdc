import { z } from 'zod';

/** What kind of information a hidden fact holds; the guide asks every problem to cover the first six. */
export const FactCategory = z.enum(['scale', 'latency', 'labels', 'data', 'business', 'constraints', 'other']);
export type FactCategory = z.infer<typeof FactCategory>;

/** A detail the interviewer reveals only when the candidate asks for it. */
export const HiddenFact = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'fact ids are kebab-case'),
  category: FactCategory,
  topic: z.string().min(3),
  /** What the interviewer says when the fact is unlocked. */
  answer: z.string().min(10),
  /** The kinds of questions that unlock it, in a candidate's words. Used for retrieval offline. */
  askedBy: z.array(z.string().min(3)).min(2),
});
export type HiddenFact = z.infer<typeof HiddenFact>;

/** An area the interviewer can take the candidate deep into. */
export const DeepDiveArea = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  area: z.string().min(3),
  /** Words a candidate would use when they bring this area up themselves. */
  keywords: z.array(z.string().min(2)).min(2),
  probes: z.array(z.string().min(10)).min(2),
  strongAnswer: z.array(z.string().min(10)).min(2),
});
export type DeepDiveArea = z.infer<typeof DeepDiveArea>;

/** A change of requirements that the interviewer introduces in the trade-off phase. */
export const ConstraintChange = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  prompt: z.string().min(10),
  whatToLookFor: z.array(z.string().min(5)).min(1),
});
export type ConstraintChange = z.infer<typeof ConstraintChange>;

// Ids are how tools, probes and stored interviews refer to these entries: a repeated id would make
// `reveal_fact` ambiguous and crash the offline engine's index at the first question, mid-interview.
function uniqueIds(entries: readonly { id: string }[], context: z.RefinementCtx): void {
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    if (seen.has(entry.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate id "${entry.id}"` });
    seen.add(entry.id);
  });
}

/** One problem of the bank, as stored in references/problems/<id>.yaml. */
export const ProblemCard = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(3),
  /** The deliberately ambiguous opening: one or two sentences and no numbers. */
  opening: z
    .string()
    .min(20)
    .refine((text) => !/\d/.test(text), 'the opening prompt must not contain numbers: they belong in hidden facts')
    .refine((text) => (text.match(/[.!?](\s|$)/g) ?? []).length <= 2, 'the opening prompt is one or two sentences'),
  facts: z
    .array(HiddenFact)
    .min(6)
    .superRefine((facts, context) => {
      for (const category of ['scale', 'latency', 'labels', 'data', 'business', 'constraints'] as const) {
        if (!facts.some((fact) => fact.category === category)) context.addIssue({ code: 'custom', message: `no hidden fact of category "${category}"` });
      }
    })
    .superRefine(uniqueIds),
  deepDives: z.array(DeepDiveArea).min(3).superRefine(uniqueIds),
  constraintChanges: z.array(ConstraintChange).min(2).superRefine(uniqueIds),
  wrapUp: z.array(z.string().min(10)).min(2),
});
export type ProblemCard = z.infer<typeof ProblemCard>;

/** The problem as the candidate sees it before asking anything. */
export interface PublicProblem {
  readonly id: string;
  readonly title: string;
  readonly opening: string;
}

export function publicView(problem: ProblemCard): PublicProblem {
  return { id: problem.id, title: problem.title, opening: problem.opening };
}
