import { z } from 'zod';
import { PhaseId } from '../interview/phases.ts';

/** Who spoke a turn. */
export const Role = z.enum(['interviewer', 'candidate']);
export type Role = z.infer<typeof Role>;

/** One turn of an interview: the unit that evidence cites by `id`. */
export const Turn = z.object({
  id: z.number().int().positive(),
  role: Role,
  phase: PhaseId,
  text: z.string(),
  at: z.iso.datetime({ offset: true }).optional(),
  engine: z.string().optional(),
});
export type Turn = z.infer<typeof Turn>;

/** Optional, identifying details of the candidate. Removed before evaluation. */
export const CandidateInfo = z.object({
  name: z.string().optional(),
  pronouns: z.string().optional(),
  email: z.string().optional(),
});
export type CandidateInfo = z.infer<typeof CandidateInfo>;

/**
 * The one transcript format used everywhere: the terminal chat writes it, the evaluator reads it,
 * the eval datasets are made of it and the HTTP API returns it.
 */
export const Transcript = z
  .object({
    id: z.string().min(1),
    problem: z.string().min(1),
    candidate: CandidateInfo.default({}),
    turns: z.array(Turn),
  })
  .superRefine((transcript, context) => {
    transcript.turns.forEach((turn, index) => {
      if (turn.id !== index + 1) {
        context.addIssue({ code: 'custom', path: ['turns', index, 'id'], message: `turn ids must be 1, 2, 3, ... in order; expected ${index + 1}, got ${turn.id}` });
      }
    });
  });
export type Transcript = z.infer<typeof Transcript>;

/** The transcript's JSON Schema, published at docs/transcript.schema.json and over HTTP. */
export function transcriptJsonSchema(): unknown {
  return z.toJSONSchema(Transcript, { io: 'input' });
}
