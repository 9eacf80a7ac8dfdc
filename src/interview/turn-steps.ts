import { z } from 'zod';

/**
 * What the model and the tools said to each other while writing one interviewer turn, kept verbatim so
 * that later requests replay the conversation as it happened: the model sees its own earlier tool calls
 * and their results, and every earlier message stays byte-identical, which keeps the request cacheable.
 */

export const StepToolCall = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  /** The arguments as the model sent them, parsed from JSON but not validated (a string if they never parsed). */
  input: z.unknown(),
});

export const StepToolResult = z.object({
  toolCallId: z.string().min(1),
  name: z.string().min(1),
  content: z.string(),
  isError: z.boolean().optional(),
});

/** One model call of the turn: its text as streamed, the tools it called and what they returned. */
export const ModelStep = z.object({
  text: z.string(),
  toolCalls: z.array(StepToolCall).default([]),
  results: z.array(StepToolResult).default([]),
});
export type ModelStep = z.infer<typeof ModelStep>;

/** The steps that wrote interviewer turn `turnId`, in order. */
export const TurnSteps = z.object({
  turnId: z.number().int().positive(),
  steps: z.array(ModelStep).min(1),
});
export type TurnSteps = z.infer<typeof TurnSteps>;
