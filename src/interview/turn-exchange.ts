import { z } from 'zod';

/**
 * What the model and the tools said to each other while writing one interviewer turn, kept verbatim so
 * that later requests replay the conversation as it happened: the model sees its own earlier tool calls
 * and their results, and every earlier message stays byte-identical, which keeps the request cacheable.
 */

export const ExchangeToolCall = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  /** The arguments as the model sent them, parsed from JSON but not validated (a string if they never parsed). */
  input: z.unknown(),
});

export const ExchangeToolResult = z.object({
  toolCallId: z.string().min(1),
  name: z.string().min(1),
  content: z.string(),
  isError: z.boolean().optional(),
});

/** One model call of the turn: its text as streamed, the tools it called and what they returned. */
export const ExchangeStep = z.object({
  text: z.string(),
  toolCalls: z.array(ExchangeToolCall).default([]),
  results: z.array(ExchangeToolResult).default([]),
});
export type ExchangeStep = z.infer<typeof ExchangeStep>;

/** The steps that wrote interviewer turn `turnId`, in order. */
export const TurnExchange = z.object({
  turnId: z.number().int().positive(),
  steps: z.array(ExchangeStep).min(1),
});
export type TurnExchange = z.infer<typeof TurnExchange>;
