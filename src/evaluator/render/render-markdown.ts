import type { InterviewCost } from '../../interview/interview-cost.ts';
import { describeUsage, formatCostUsd } from '../../llm/pricing.ts';
import type { Transcript } from '../../transcript/transcript.ts';
import { DIMENSION_NAMES, DimensionId } from '../dimensions.ts';
import type { Evidence, IntegrityFlag, InterviewerIssue, Rating, Recommendation, Scorecard, ScorecardMeta } from '../scorecard.ts';

// The report's fixed wording lives here and render-html.ts imports it, so the two formats cannot drift apart.

/** Said beside every recommendation: the tool advises, a person decides. */
export const ADVICE_SENTENCE = 'This recommendation is advice for a human decision-maker; a person decides.';

/**
 * The first sentence of every report of a heuristic scorecard, in every format (the terminal summary and the
 * web page's scorecard view say it too, word for word): the ratings are a heuristic's, and how to get a model's.
 */
export const HEURISTIC_NOTE =
  'These ratings come from the offline heuristic, which reads surface signals and does not judge technical correctness; for a model\'s, set an API key (OPENAI_API_KEY or ANTHROPIC_API_KEY) and either start with LLM_PROVIDER set to its provider or run `npm run evaluate -- TRANSCRIPT.json --provider openai` (or anthropic) on the saved transcript.';

export const RECOMMENDATION_LABELS: Readonly<Record<Recommendation, string>> = {
  strong_hire: 'Strong hire',
  hire: 'Hire',
  no_hire: 'No hire',
  strong_no_hire: 'Strong no hire',
  insufficient: 'Insufficient evidence',
};

export const RATING_LABELS: Readonly<Record<Rating, string>> = {
  exceeds: 'Exceeds',
  meets: 'Meets',
  below: 'Below',
  insufficient: 'Insufficient evidence',
};

export const INTEGRITY_FLAG_LABELS: Readonly<Record<IntegrityFlag['kind'], string>> = {
  instruction_to_evaluator: 'Instruction to the evaluator',
  pasted_scorecard: 'Pasted scorecard',
  claimed_score: 'Claimed score',
  other: 'Other',
};

export const INTERVIEWER_ISSUE_LABELS: Readonly<Record<InterviewerIssue['kind'], string>> = {
  volunteered_fact: 'Fact volunteered unasked',
  leading_question: 'Leading question',
  gave_answer: 'Answer given away',
  evaluative_feedback: 'Evaluative feedback',
  other: 'Other',
};

/** Said above the interviewer issues: they describe the interview, not the candidate. */
export const INTERVIEWER_ISSUES_NOTE = "What the interviewer did against the guide, noticed by the evaluator. It describes the interview, not the candidate: it changes no rating and not the recommendation.";

/** Confidence as the evaluator gave it (0 to 1), shown to two places so the report matches the JSON. */
export function formatConfidence(confidence: number): string {
  return confidence.toFixed(2);
}

/** What a report may show besides the scorecard. */
export interface ReportOptions {
  /** The interviewer's tokens and cost for the interview this scorecard is of, when known. */
  readonly interviewCost?: InterviewCost;
}

/** An estimated cost, or why there is none: a model without a price is never guessed at. */
export function describeCost(costUsd: number | null, model: string): string {
  return costUsd === null ? `unknown price (no price for ${model}; LLM_PRICES can add one)` : `${formatCostUsd(costUsd)} (estimate)`;
}

/** The interviewer's estimated cost over an interview, and how many turns it could not price. */
export function describeInterviewCost(cost: InterviewCost): string {
  const price = cost.costUsd === null ? 'unknown price' : `${formatCostUsd(cost.costUsd)} (estimate)`;
  return cost.unpricedTurns > 0 ? `${price}; ${cost.unpricedTurns} turn(s) of a model without a price not included` : price;
}

/** The meta block as label/value pairs, shared by both formats so they report the same facts. */
export function describeMeta(meta: ScorecardMeta, options: ReportOptions = {}): readonly { readonly label: string; readonly value: string }[] {
  const promptVersions = Object.entries(meta.promptVersions).map(([id, version]) => `${id}@${version}`);
  const { usage } = meta;
  const interview = options.interviewCost;
  const interviewRows = interview
    ? [
        { label: 'Interviewer tokens', value: describeUsage(interview.usage) },
        { label: 'Interviewer cost', value: describeInterviewCost(interview) },
      ]
    : [];
  return [
    { label: 'Engine', value: meta.engine },
    { label: 'Model', value: meta.model },
    { label: 'Prompt versions', value: promptVersions.length > 0 ? promptVersions.join(', ') : 'none recorded' },
    { label: 'Samples', value: describeSamples(meta) },
    { label: 'Tokens', value: describeUsage(usage) },
    { label: 'Cost', value: meta.heuristic ? 'none (no model was called)' : describeCost(meta.costUsd, meta.model) },
    ...interviewRows,
    { label: 'Latency', value: meta.latencyMs < 1000 ? `${Math.round(meta.latencyMs)} ms` : `${(meta.latencyMs / 1000).toFixed(1)} s` },
    { label: 'Citations dropped', value: String(meta.citationsDropped) },
    { label: 'Repair rounds', value: String(meta.repairRounds) },
    ...(meta.attempts.length > 0 ? [{ label: 'Provider calls', value: describeAttempts(meta.attempts) }] : []),
    { label: 'Created', value: meta.createdAt },
  ];
}

// Each sample's tokens, so the cost of the extra samples and their reuse of the cached prefix are visible.
function describeSamples(meta: ScorecardMeta): string {
  const failed = meta.samplesFailed > 0 ? ` (${meta.samplesFailed} more failed and ${meta.samplesFailed === 1 ? 'is' : 'are'} left out)` : '';
  if (meta.heuristic) return `${meta.samples}${failed}; the offline evaluator is deterministic, so one run stands for all`;
  if (meta.sampleUsage.length < 2) return `${meta.samples}${failed}`;
  const each = meta.sampleUsage.map((usage, index) => `#${index + 1}: ${usage.inputTokens} input (${usage.cachedInputTokens} cached), ${usage.outputTokens} output`);
  return `${meta.samples}${failed}; ${each.join('; ')}`;
}

/** "4 calls, 1 failed: sample 1 first round, attempt 1: <error>, retried after 7.0 s". */
function describeAttempts(attempts: ScorecardMeta['attempts']): string {
  const failed = attempts.filter((attempt) => attempt.outcome === 'failed');
  const summary = `${attempts.length} call${attempts.length === 1 ? '' : 's'}, ${failed.length} failed`;
  const details = failed.map(
    (attempt) =>
      `sample ${attempt.sample} ${attempt.round} round, attempt ${attempt.attempt}: ${attempt.error ?? 'failed'}${attempt.receivedOutput ? ' (after part of the reply)' : ''}${attempt.retryInMs !== undefined ? `, retried after ${(attempt.retryInMs / 1000).toFixed(1)} s` : ''}`,
  );
  return details.length > 0 ? `${summary}: ${details.join('; ')}` : summary;
}

// Minimal escaping: only what lets outside text change the document's structure. A backslash would
// swallow our own escapes; `<` would let a viewer run raw HTML; backticks and brackets would open code
// spans and links that run past the quote. Emphasis characters are left alone: at worst they restyle a word.
function escapeInline(text: string): string {
  return text.replace(/[\\`<>[\]]/g, (character) => `\\${character}`);
}

// A list item or a table cell is one line; a line break inside a quote would end it early.
function oneLine(text: string): string {
  return escapeInline(text.replace(/\s*\r?\n\s*/g, ' ').trim());
}

// Inside a table a pipe starts a new cell.
function tableCell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

// Multi-line prose keeps its paragraphs; a blank result would leave an empty section, so say so instead.
function paragraph(text: string, whenEmpty: string): string {
  const trimmed = text.trim();
  return trimmed.length > 0 ? escapeInline(trimmed) : `_${whenEmpty}_`;
}

function bulletList(items: readonly string[], whenEmpty: string): string {
  return items.length > 0 ? items.map((item) => `- ${oneLine(item)}`).join('\n') : `_${whenEmpty}_`;
}

function renderEvidence(evidence: Evidence): string {
  const sign = evidence.polarity === 'positive' ? '+' : '-';
  const note = evidence.note.trim().length > 0 ? ` — ${oneLine(evidence.note)}` : '';
  return `- turn ${evidence.turnId} (${sign}): "${oneLine(evidence.quote)}"${note}`;
}

function renderIntegrityFlag(flag: IntegrityFlag): string {
  const note = flag.note.trim().length > 0 ? ` — ${oneLine(flag.note)}` : '';
  return `- turn ${flag.turnId}, ${INTEGRITY_FLAG_LABELS[flag.kind].toLowerCase()}: "${oneLine(flag.quote)}"${note}`;
}

function renderInterviewerIssue(issue: InterviewerIssue): string {
  const note = issue.note.trim().length > 0 ? ` — ${oneLine(issue.note)}` : '';
  return `- turn ${issue.turnId}, ${INTERVIEWER_ISSUE_LABELS[issue.kind].toLowerCase()}: "${oneLine(issue.quote)}"${note}`;
}

/** The scorecard as a Markdown report: for a pull request, a ticket or a terminal. */
export function renderMarkdown(scorecard: Scorecard, transcript: Transcript, options: ReportOptions = {}): string {
  const candidateTurns = transcript.turns.filter((turn) => turn.role === 'candidate').length;
  const lines: string[] = [
    `# Scorecard: ${oneLine(scorecard.problem)}`,
    '',
    ...(scorecard.meta.heuristic ? [`> ${HEURISTIC_NOTE}`, ''] : []),
    `Transcript \`${scorecard.transcriptId.replace(/`/g, '')}\`: ${transcript.turns.length} turns, ${candidateTurns} from the candidate.`,
    '',
    '## Recommendation',
    '',
    `**${RECOMMENDATION_LABELS[scorecard.recommendation]}**`,
    '',
    ADVICE_SENTENCE,
    '',
  ];
  lines.push(paragraph(scorecard.summary, 'No summary.'), '');

  lines.push('## Ratings', '', '| Dimension | Rating | Confidence | Needs human review |', '| --- | --- | --- | --- |');
  for (const id of DimensionId.options) {
    const score = scorecard.dimensions[id];
    const cells = [DIMENSION_NAMES[id], RATING_LABELS[score.rating], formatConfidence(score.confidence), score.needsHumanReview ? 'yes' : 'no'];
    lines.push(`| ${cells.map(tableCell).join(' | ')} |`);
  }
  lines.push('');

  lines.push('## Dimensions', '');
  for (const id of DimensionId.options) {
    const score = scorecard.dimensions[id];
    lines.push(`### ${DIMENSION_NAMES[id]}`, '');
    const review = score.needsHumanReview ? ' Needs human review: repeated evaluations disagreed.' : '';
    lines.push(`Rating: **${RATING_LABELS[score.rating]}**, confidence ${formatConfidence(score.confidence)}.${review}`, '');
    lines.push(paragraph(score.rationale, 'No rationale given.'), '');
    lines.push('Evidence:', '');
    lines.push(score.evidence.length > 0 ? score.evidence.map(renderEvidence).join('\n') : '_No evidence cited._', '');
  }

  lines.push('## Strengths', '', bulletList(scorecard.strengths, 'None listed.'), '');
  lines.push('## Growth areas', '', bulletList(scorecard.growthAreas, 'None listed.'), '');
  lines.push('## Feedback', '', paragraph(scorecard.feedback, 'No feedback.'), '');
  lines.push(
    '## Integrity flags',
    '',
    scorecard.integrityFlags.length > 0 ? scorecard.integrityFlags.map(renderIntegrityFlag).join('\n') : '_None._',
    '',
  );
  lines.push(
    '## Interviewer conduct',
    '',
    INTERVIEWER_ISSUES_NOTE,
    '',
    scorecard.interviewerIssues.length > 0 ? scorecard.interviewerIssues.map(renderInterviewerIssue).join('\n') : '_None noticed._',
    '',
  );

  lines.push('## Meta', '');
  if (scorecard.meta.heuristic) lines.push(HEURISTIC_NOTE, '');
  for (const { label, value } of describeMeta(scorecard.meta, options)) lines.push(`- ${label}: ${oneLine(value)}`);

  return `${lines.join('\n')}\n`;
}
