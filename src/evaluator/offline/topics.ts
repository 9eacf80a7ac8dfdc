/**
 * Topics the offline evaluator looks for, per dimension. A topic counts only where a sentence about it
 * also carries substance (a reason, a number, a condition, a cost or a check): naming it is not enough.
 */
export type TopicMap = Readonly<Record<string, RegExp>>;

/** Areas of an ML system, for technical breadth. */
export const BREADTH_TOPICS: TopicMap = {
  data_and_labels: /\b(labels?|labell?ing|ground truth|training data|sampl(e|ing)|annotat\w*|chargebacks?|feedback signal)\b/i,
  features: /\b(features?|embeddings?|signals?|aggregates?|counters?|windows?)\b/i,
  modelling: /\b(model|classifier|ranker|regression|gbdt|tree|neural|transformer|two[- ]tower|llm|fine[- ]?tun\w*|loss|objective)\b/i,
  serving: /\b(serv(e|ing)|inference|latency|cache|p99|p95|endpoint|online path|request path)\b/i,
  evaluation: /\b(auc|precision|recall|ndcg|log ?loss|calibrat\w*|offline (metric|eval\w*)|holdout|backtest|metric)\b/i,
  experimentation: /\b(a\/b|experiment|randomi[sz]ed|control group|holdback|interleav\w*)\b/i,
  monitoring: /\b(monitor\w*|drift|alert\w*|dashboards?)\b/i,
  infrastructure: /\b(stream\w*|batch|pipeline|shard\w*|replica\w*|queue|kafka|flink|spark|storage|warehouse|gpu|cpu)\b/i,
  safety_and_privacy: /\b(privacy|pii|gdpr|fairness|bias|abuse|adversar\w*|safety|compliance|regulat\w*|explainab\w*)\b/i,
};

/** Operational concerns, for production awareness. */
export const PRODUCTION_TOPICS: TopicMap = {
  monitoring: /\b(monitor\w*|alert\w*|dashboards?|on-?call|pager|slo|sla)\b/i,
  drift: /\b(drift|distribution shift|stale|staleness|freshness|decay)\b/i,
  rollout: /\b(shadow|canary|ramp|staged|gradual|rollout|roll out|a\/b|holdback)\b/i,
  rollback: /\b(rollback|roll back|kill switch|fall ?back|circuit breaker|degrad\w*)\b/i,
  retraining: /\b(retrain\w*|training cadence|refresh\w*|daily training|weekly training|continuous training)\b/i,
  latency_and_capacity: /\b(latency|p99|p95|throughput|capacity|autoscal\w*|timeouts?|qps|budget)\b/i,
  data_quality: /\b(data quality|schema|backfill|point-in-time|leak\w*|missing data|null|validation)\b/i,
  cost: /\b(cost|\$|dollars?|gpu hours?|compute budget|cheaper|expensive)\b/i,
};

/** Business and organisational reasoning, for strategic thinking. */
export const STRATEGY_TOPICS: TopicMap = {
  business_metric: /\b(revenue|retention|churn|conversion|gmv|profit|losses?|engagement|satisfaction|csat|business (goal|metric|value)|north star)\b/i,
  cost_of_errors: /\b(false (positives?|negatives?|declines?|alarms?)|cost of (a |an )?(error|mistake|miss)|expected cost|asymmetric)\b/i,
  phasing: /\b(mvp|first version|v1|phase (one|1|two|2)|first (ninety|90|thirty|30) days|roadmap|iterat\w*|start (simple|with a baseline)|baseline)\b/i,
  // The people and teams a design must be agreed with, not whoever the system serves: "good customers are
  // declined" and "100k operations per second" say nothing about stakeholders.
  stakeholders: /\b(stakeholders?|legal( team)?|product (teams?|managers?|owners?)|leadership|vp|executives?|(ops|operations|support|risk|fraud|review|moderation|trust and safety|sales|finance|compliance|analytics|data science|platform|business) (team|teams|analysts?|leads?)|analysts?|(work|working|talk|talking|align|aligning|agree|agreed|partner|partnering|consult|consulting) with|sign[- ]?off|buy[- ]in)\b/i,
  risk_and_trust: /\b(trust|reputation|regulat\w*|compliance|brand|user experience|harm)\b/i,
  evolution: /\b(long[- ]term|over time|later|next year|as (it|we) (grow|scale)|evolv\w*|future)\b/i,
  build_vs_buy: /\b(build (vs\.?|versus|or) buy|vendor|off[- ]the[- ]shelf|managed service|in-house)\b/i,
};

/** Components of an end-to-end design, for system design. */
export const DESIGN_COMPONENTS: TopicMap = {
  ingestion: /\b(events?|logs?|ingest\w*|stream\w*|kafka|collect\w*)\b/i,
  features: /\b(features?|feature store|embed(s|ding|dings)?|aggregates?)\b/i,
  retrieval: /\b(retriev\w*|candidate generation|candidates?|nearest|ann|recall stage|lookup)\b/i,
  training: /\b(train\w*|retrain\w*|fit|labels?)\b/i,
  model: /\b(models?|classifier|ranker|encoders?|scor(e|er|es|ing))\b/i,
  serving: /\b(serv(e|ing)|inference|api|endpoint|online|real[- ]?time|requests?|inline|(a)?synchronous\w*)\b/i,
  decision: /\b(threshold|policy|decision|rules?|queue|re-?rank\w*|blend\w*|escalat\w*)\b/i,
  feedback: /\b(feedback|monitor\w*|loop|outcomes?)\b/i,
  storage: /\b(store|database|warehouse|cache|index)\b/i,
};

/**
 * Marks a sentence that sets one option against another. Words that only suggest a choice ("option",
 * "prefer", "choose") or "over" in its other senses ("over the last hour") do not: the sentence must hold
 * the comparison itself, or name what was rejected or given up.
 */
export const ALTERNATIVE = /\b(instead of|rather than|versus|vs\.?|alternatives?|(other|another|two|three|both) (options?|approaches|choices)|considered|rejected|trade[- ]?offs?|at the cost of|in exchange|give up|compared (to|with)|(prefer\w*|choose|chose|pick\w*|favou?r\w*) [^.;]{1,60}? over|better than|worse than|cheaper than|faster than|slower than)\b/i;
/** Marks a sentence that states a summary. */
export const SUMMARY = /\b(in summary|to summari[sz]e|summing up|in short|overall|the main risks?|the key (idea|risk|decision)s?|my design|the design)\b/i;
/** Marks an answer organised for a listener. */
export const STRUCTURE = /(^|\s)(first(ly)?|second(ly)?|third|then|finally|next|two (things|parts|options)|three (things|parts|options))\b|(^|\n)\s*(\d+[.)]|[-*])\s/i;
/** Marks a statement of an assumption or of the problem's framing. */
export const FRAMING = /\b(assum\w*|i'?ll treat|i would frame|frame (it|this)|formulat\w*|success (metric|is|looks)|optimi[sz]e (for)?|objective|target|prediction (target|task)|classif\w*|rank\w*|predict\w*|scope)\b/i;

/** Question topics for problem navigation, when no problem card is at hand. */
export const CLARIFYING_TOPICS: TopicMap = {
  scale: /\b(how many|volume|scale|traffic|qps|per second|per day|users|peak|size)\b/i,
  latency: /\b(latency|how fast|real[- ]?time|response time|ms|milliseconds|budget|sla)\b/i,
  labels: /\b(labels?|ground truth|how do we (know|find out)|feedback|chargebacks?|annotat\w*|delay)\b/i,
  data: /\b(data|logs?|history|signals?|features?|what do we (have|know|collect))\b/i,
  business: /\b(goal|business|cost|revenue|success|metric|kpi|why|priorit\w*|trade-?off|worse)\b/i,
  constraints: /\b(constraints?|regulat\w*|legal|privacy|team|infra\w*|budget|existing|explain\w*|compliance|deadline)\b/i,
};

/** The distinct topics a text touches. */
export function topicsIn(text: string, topics: TopicMap): string[] {
  return Object.entries(topics)
    .filter(([, pattern]) => pattern.test(text))
    .map(([topic]) => topic);
}
