// Renders a Scorecard (src/evaluator/scorecard.ts) as DOM. All text from the scorecard goes in as
// text nodes, except the narrative fields, which go through the safe renderMarkdown.
import { el } from './dom.js';
import { renderMarkdown } from './markdown.js';

/** The 8 dimensions in rubric order, as in src/evaluator/dimensions.ts. */
export const DIMENSIONS = [
  ['problem_navigation', 'Problem Navigation & Formulation'],
  ['technical_depth', 'Technical Depth'],
  ['technical_breadth', 'Technical Breadth'],
  ['system_design', 'System Design & Architecture'],
  ['tradeoff_analysis', 'Trade-off Analysis'],
  ['production_awareness', 'Production & Operational Awareness'],
  ['strategic_thinking', 'Strategic Thinking & Business Impact'],
  ['communication', 'Communication & Collaboration'],
];

const RECOMMENDATIONS = { strong_hire: 'Strong hire', hire: 'Hire', no_hire: 'No hire', strong_no_hire: 'Strong no hire', insufficient: 'Insufficient evidence' };
const RATINGS = { exceeds: 'Exceeds', meets: 'Meets', below: 'Below', insufficient: 'Insufficient evidence' };
const FLAG_KINDS = {
  instruction_to_evaluator: 'Instruction to the evaluator',
  pasted_scorecard: 'Pasted scorecard',
  claimed_score: 'Claimed score',
  other: 'Other',
};

/**
 * The first sentence of a heuristic scorecard, word for word as in the reports (HEURISTIC_NOTE in
 * src/evaluator/render/render-markdown.ts; a test keeps the two equal).
 */
export const HEURISTIC_NOTE =
  "These ratings come from the offline heuristic, which reads surface signals and does not judge technical correctness; for a model's, set an API key (OPENAI_API_KEY or ANTHROPIC_API_KEY) and either start with LLM_PROVIDER set to its provider or run `npm run evaluate -- TRANSCRIPT.json --provider openai` (or anthropic) on the saved transcript.";

/** A link to a transcript turn; app.js scrolls to and highlights the turn when it is followed. */
const turnLink = (turnId) => el('a', { href: `#turn-${Number(turnId)}`, className: 'turn-link' }, `turn ${Number(turnId)}`);

/** The scorecard's container, `data-testid="scorecard"`. */
export function renderScorecard(scorecard) {
  return el('section', { className: 'scorecard', 'data-testid': 'scorecard', 'aria-labelledby': 'scorecard-title' },
    el('h2', { id: 'scorecard-title', tabindex: '-1' }, 'Your scorecard'),
    scorecard.meta?.heuristic ? el('p', { className: 'notice notice--info', 'data-testid': 'heuristic-note' }, HEURISTIC_NOTE) : null,
    renderRecommendation(scorecard),
    scorecard.summary ? el('div', { className: 'markdown scorecard__summary', html: renderMarkdown(scorecard.summary) }) : null,
    el('h3', {}, 'Ratings'),
    renderRatingsTable(scorecard.dimensions),
    el('h3', {}, 'Strengths'),
    renderTextList(scorecard.strengths, 'No particular strengths were recorded.'),
    el('h3', {}, 'Growth areas'),
    renderTextList(scorecard.growthAreas, 'No growth areas were recorded.'),
    el('h3', {}, 'Feedback'),
    scorecard.feedback ? el('div', { className: 'markdown', html: renderMarkdown(scorecard.feedback) }) : el('p', {}, 'No written feedback.'),
    el('h3', {}, 'Integrity flags'),
    renderIntegrityFlags(scorecard.integrityFlags ?? []),
    renderMeta(scorecard.meta));
}

function renderRecommendation(scorecard) {
  const value = scorecard.recommendation;
  return el('div', { className: 'recommendation' },
    el('p', { className: 'recommendation__line' }, 'Recommendation: ',
      el('span', { className: `badge badge--${value}`, 'data-testid': 'recommendation', 'data-value': value }, RECOMMENDATIONS[value] ?? String(value))),
    el('p', { className: 'recommendation__note' }, 'The recommendation is advice: a person decides.'));
}

function renderRatingsTable(dimensions = {}) {
  const rows = DIMENSIONS.map(([id, name]) => {
    const score = dimensions[id];
    if (!score) return el('tr', {}, el('th', { scope: 'row' }, name), el('td', { colspan: '3' }, 'Not rated.'));
    return el('tr', { 'data-dimension': id },
      el('th', { scope: 'row' }, name),
      el('td', { 'data-label': 'Rating' },
        el('span', { className: `rating rating--${score.rating}` }, RATINGS[score.rating] ?? String(score.rating)),
        score.needsHumanReview ? el('span', { className: 'tag' }, 'Needs human review') : null),
      el('td', { 'data-label': 'Confidence' }, `${Math.round(Number(score.confidence) * 100)}%`),
      el('td', { 'data-label': 'Rationale and evidence' },
        el('p', {}, score.rationale ?? ''),
        renderEvidence(score.evidence ?? [])));
  });
  return el('div', { className: 'table-wrap' },
    el('table', { className: 'ratings' },
      el('caption', { className: 'visually-hidden' }, 'Ratings on the eight dimensions, with the evidence behind each'),
      el('thead', {}, el('tr', {}, ...['Dimension', 'Rating', 'Confidence', 'Rationale and evidence'].map((heading) => el('th', { scope: 'col' }, heading)))),
      el('tbody', {}, rows)));
}

function renderEvidence(evidence) {
  if (evidence.length === 0) return el('p', { className: 'evidence-none' }, 'No quoted evidence.');
  return el('ul', { className: 'evidence-list', 'aria-label': 'Evidence' }, evidence.map((item) =>
    el('li', { className: `evidence evidence--${item.polarity}` },
      el('span', { className: 'evidence__polarity' }, item.polarity === 'negative' ? 'Against' : 'For'), ' ',
      turnLink(item.turnId), ': ',
      el('q', { className: 'evidence__quote' }, item.quote),
      item.note ? el('span', { className: 'evidence__note' }, ` ${item.note}`) : null)));
}

function renderTextList(items = [], emptyText) {
  if (items.length === 0) return el('p', {}, emptyText);
  return el('ul', {}, items.map((item) => el('li', {}, item)));
}

function renderIntegrityFlags(flags) {
  if (flags.length === 0) return el('p', {}, 'None.');
  return el('ul', { className: 'integrity-flags' }, flags.map((flag) =>
    el('li', {},
      el('strong', {}, FLAG_KINDS[flag.kind] ?? String(flag.kind)), ' in ', turnLink(flag.turnId), ': ',
      flag.quote ? el('q', {}, flag.quote) : null,
      flag.note ? el('span', {}, ` ${flag.note}`) : null)));
}

// The same wording as the HTML and Markdown reports (src/llm/pricing.ts).
function describeUsage(usage) {
  if (!usage) return undefined;
  const uncached = Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens);
  return `${usage.inputTokens} input (${usage.cachedInputTokens} read from the cache, ${usage.cacheWriteTokens} written to the cache, ${uncached} uncached), ${usage.outputTokens} output`;
}

function describeCost(costUsd) {
  if (typeof costUsd !== 'number') return 'unknown price';
  return costUsd < 0.01 ? `$${costUsd.toFixed(4)}` : `$${costUsd.toFixed(2)}`;
}

function renderMeta(meta) {
  if (!meta) return null;
  const rows = [
    ['Evaluator', meta.heuristic ? `${meta.engine} (offline heuristic evaluator)` : meta.engine],
    ['Model', meta.model],
    ['Samples', meta.samples],
    ['Citations dropped (not found verbatim)', meta.citationsDropped],
    ['Repair rounds', meta.repairRounds],
    ['Tokens', describeUsage(meta.usage)],
    ['Estimated cost', meta.heuristic ? 'none (no model was called)' : describeCost(meta.costUsd)],
    ['Time taken', meta.latencyMs !== undefined ? `${(meta.latencyMs / 1000).toFixed(1)} s` : undefined],
    ['Created', meta.createdAt ? new Date(meta.createdAt).toLocaleString() : undefined],
  ].filter(([, value]) => value !== undefined && value !== null && value !== '');
  return el('details', { className: 'scorecard__meta' },
    el('summary', {}, 'How this scorecard was made'),
    el('dl', {}, rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, String(value))])));
}
