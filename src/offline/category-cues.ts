import type { FactCategory } from '../problems/problem-card.ts';

/**
 * Words that say what kind of fact a question is after, whatever the problem: "what QPS are we at?" asks
 * about scale even when no fact of the card uses the word "QPS". Retrieval adds a bonus to facts of the
 * categories a question cues, so plain questions find their fact without the card listing every phrasing.
 */
const CUES: Readonly<Record<Exclude<FactCategory, 'other'>, RegExp>> = {
  scale: /\b(qps|rps|tps|volume|traffic|scale|throughput|peak|per (second|minute|hour|day)|a (second|day)|daily|how many (users|requests|queries|transactions|orders|events|items|tickets|posts|searches|trips|metrics|series|ads|impressions)|how (big|large))\b/i,
  latency: /\b(latency|latencies|how (fast|quickly)|respond|response time|milliseconds|real[- ]?time|sla|slo|time budget|p9\d|how long (do|does|can) (we|it|the) (have|take) to (respond|answer|decide|score))\b/i,
  labels: /\b(labels?|label(l)?ed|label(l)?ing|ground truth|find out|how do we know|feedback|annotat\w*|confirmed|outcomes?)\b/i,
  data: /\b(data|logs?|logged|history|historical|signals?|features?|attributes?|what do we (have|know|collect|store|record))\b/i,
  business: /\b(goals?|optimi[sz]\w*|success|business|revenue|kpis?|objective|cost of|what does (a|an|each) .{1,40} cost|care (most )?about|priorit\w*)\b/i,
  constraints: /\b(constraints?|legal|regulat\w*|compliance|privacy|gdpr|team|headcount|engineers|infrastructure|infra|budget|deadline|timeline|vendor)\b/i,
};

/** The fact categories a question cues. */
export function cuedCategories(question: string): Set<FactCategory> {
  return new Set((Object.entries(CUES) as [FactCategory, RegExp][]).filter(([, pattern]) => pattern.test(question)).map(([category]) => category));
}
