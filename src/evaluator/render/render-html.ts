import { PHASE_BUDGETS } from '../../interview/phases.ts';
import type { Transcript, Turn } from '../../transcript/transcript.ts';
import { DIMENSION_NAMES, DimensionId } from '../dimensions.ts';
import type { DimensionScore, Evidence, IntegrityFlag, InterviewerIssue, Rating, Scorecard } from '../scorecard.ts';
import {
  ADVICE_SENTENCE,
  HEURISTIC_NOTE,
  INTEGRITY_FLAG_LABELS,
  INTERVIEWER_ISSUE_LABELS,
  INTERVIEWER_ISSUES_NOTE,
  RATING_LABELS,
  RECOMMENDATION_LABELS,
  describeMeta,
  formatConfidence,
  type ReportOptions,
} from './render-markdown.ts';

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and quoted attribute values. Every piece of data goes through it. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ENTITIES[character] ?? character);
}

// A symbol beside each rating's colour, so the glance grid reads without colour vision too.
const RATING_SYMBOLS: Readonly<Record<Rating, string>> = { exceeds: '▲', meets: '●', below: '▼', insufficient: '○' };

const TRANSCRIPT_NOTE =
  'This is the transcript the evaluator saw: names and contact details were removed and text addressed to the evaluator was replaced before evaluation.';

// No external resources, so the file works from file:// and offline. The Content-Security-Policy in the
// head enforces that and forbids scripts: highlighting a cited turn needs only CSS :target.
// Colours were chosen for at least 4.5:1 contrast against their backgrounds.
const STYLES = `
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #f6f6f4; }
a { color: #0b4f9c; }
a:focus-visible, .turn:focus-visible { outline: 3px solid #b35900; outline-offset: 2px; }
.page { max-width: 1400px; margin: 0 auto; padding: 1rem; }
header.report { background: #fff; border: 1px solid #d0d0cc; border-radius: 8px; padding: 1rem 1.25rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; line-height: 1.25; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 0 0 .25rem; }
h4 { font-size: 1rem; margin: .5rem 0 .25rem; }
.subtitle { margin: 0 0 .75rem; color: #4a4a4a; }
.recommendation { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem .75rem; margin: .5rem 0; }
.badge { display: inline-block; padding: .2rem .6rem; border-radius: 999px; font-weight: 700; border: 2px solid currentColor; white-space: nowrap; }
.recommendation-strong_hire, .recommendation-hire { color: #0f5a2a; background: #e3f5e8; }
.recommendation-no_hire, .recommendation-strong_no_hire { color: #8a1c1c; background: #fbe7e7; }
.recommendation-insufficient { color: #3d3d3d; background: #ececec; }
.notice { margin: .5rem 0; padding: .5rem .75rem; border-left: 4px solid #b35900; background: #fff4e5; color: #4d2700; }
.advice { font-weight: 600; margin: 0; }
.glance { list-style: none; margin: 0; padding: 0; display: grid; gap: .5rem; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); }
.glance li { border: 1px solid #d0d0cc; border-left-width: 6px; border-radius: 6px; padding: .5rem .75rem; background: #fff; }
.glance .dimension-name { display: block; font-weight: 600; }
.rating { font-weight: 700; }
.rating-exceeds { color: #0f5a2a; }
.rating-meets { color: #0b4f9c; }
.rating-below { color: #8a1c1c; }
.rating-insufficient { color: #3d3d3d; }
.glance .glance-exceeds { border-left-color: #1e7b3c; }
.glance .glance-meets { border-left-color: #1f6fc9; }
.glance .glance-below { border-left-color: #c62828; }
.glance .glance-insufficient { border-left-color: #8a8a8a; }
.review { display: inline-block; margin-top: .25rem; font-size: .875rem; font-weight: 600; color: #6b3500; }
.columns { display: grid; gap: 1.5rem; grid-template-columns: minmax(0, 1fr); margin-top: 1rem; }
.card { background: #fff; border: 1px solid #d0d0cc; border-radius: 8px; padding: 1rem 1.25rem; }
.card > h2:first-child { margin-top: 0; }
.dimension { border-top: 1px solid #e2e2de; padding: .75rem 0; }
.dimension-rating { margin: 0 0 .5rem; }
.prose { white-space: pre-wrap; margin: .25rem 0 .5rem; }
.evidence { padding-left: 1.25rem; margin: .25rem 0; }
.evidence li { margin: .35rem 0; }
.polarity { font-weight: 700; }
.polarity-positive { color: #0f5a2a; }
.polarity-negative { color: #8a1c1c; }
q { font-style: italic; }
.empty { color: #4a4a4a; font-style: italic; }
dl.meta { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .25rem 1rem; margin: 0; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.transcript-note { color: #4a4a4a; margin: 0 0 .75rem; }
.turns { list-style: none; margin: 0; padding: 0; }
.turn { border: 1px solid #e2e2de; border-radius: 6px; padding: .5rem .75rem; margin: 0 0 .5rem; scroll-margin-top: 1rem; }
.turn-candidate { background: #f3f7fc; }
.turn-interviewer { background: #fafaf8; }
.turn-header { margin: 0 0 .25rem; font-size: .875rem; color: #4a4a4a; }
.turn-role { font-weight: 700; color: #1a1a1a; }
.turn-text { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.turn:target { border-color: #b35900; box-shadow: 0 0 0 3px #b35900; background: #fff4e5; }
mark { background: #ffe08a; color: inherit; }
footer.report { margin: 1.5rem 0 0; color: #4a4a4a; font-size: .875rem; }
@media (min-width: 960px) {
  .columns { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); align-items: start; }
  /* The transcript stays beside the details and scrolls on its own, so a cited turn and its evidence are both in view. */
  .transcript { position: sticky; top: 1rem; max-height: calc(100vh - 2rem); overflow-y: auto; }
}
@media print {
  .columns { grid-template-columns: minmax(0, 1fr); }
  .transcript { position: static; max-height: none; overflow: visible; }
}
`;

// Marks the cited quotes inside a turn so the reader sees them once the link lands there. Quotes are
// verified after normalising white space and quote marks; one that is not an exact substring is simply not marked.
function renderTurnText(text: string, quotes: readonly string[]): string {
  const ranges: [number, number][] = [];
  for (const quote of quotes) {
    const start = text.indexOf(quote);
    if (start >= 0) ranges.push([start, start + quote.length]);
  }
  ranges.sort((left, right) => left[0] - right[0]);
  let html = '';
  let position = 0;
  for (const [start, end] of ranges) {
    if (end <= position) continue;
    const from = Math.max(start, position);
    html += `${escapeHtml(text.slice(position, from))}<mark>${escapeHtml(text.slice(from, end))}</mark>`;
    position = end;
  }
  return html + escapeHtml(text.slice(position));
}

// A link only to a turn that exists: a dead anchor would look like evidence the reader cannot check.
function turnReference(turnId: number, turnIds: ReadonlySet<number>): string {
  return turnIds.has(turnId) ? `<a href="#turn-${turnId}">turn ${turnId}</a>` : `turn ${turnId} (not in the transcript)`;
}

function renderNote(note: string): string {
  return note.trim().length > 0 ? ` — ${escapeHtml(note)}` : '';
}

function renderEvidence(evidence: Evidence, turnIds: ReadonlySet<number>): string {
  const positive = evidence.polarity === 'positive';
  const polarity = `<span class="polarity polarity-${evidence.polarity}">${positive ? '+ supports' : '− counts against'}</span>`;
  return `<li>${polarity} · ${turnReference(evidence.turnId, turnIds)}: <q>${escapeHtml(evidence.quote)}</q>${renderNote(evidence.note)}</li>`;
}

function renderIntegrityFlag(flag: IntegrityFlag, turnIds: ReadonlySet<number>): string {
  const label = escapeHtml(INTEGRITY_FLAG_LABELS[flag.kind]);
  return `<li><strong>${label}</strong> · ${turnReference(flag.turnId, turnIds)}: <q>${escapeHtml(flag.quote)}</q>${renderNote(flag.note)}</li>`;
}

function renderInterviewerIssue(issue: InterviewerIssue, turnIds: ReadonlySet<number>): string {
  const label = escapeHtml(INTERVIEWER_ISSUE_LABELS[issue.kind]);
  return `<li><strong>${label}</strong> · ${turnReference(issue.turnId, turnIds)}: <q>${escapeHtml(issue.quote)}</q>${renderNote(issue.note)}</li>`;
}

function renderRating(rating: Rating): string {
  return `<span class="rating rating-${rating}">${RATING_SYMBOLS[rating]} ${escapeHtml(RATING_LABELS[rating])}</span>`;
}

function renderProse(text: string, whenEmpty: string): string {
  const trimmed = text.trim();
  return trimmed.length > 0 ? `<p class="prose">${escapeHtml(trimmed)}</p>` : `<p class="empty">${escapeHtml(whenEmpty)}</p>`;
}

function renderList(items: readonly string[], whenEmpty: string): string {
  if (items.length === 0) return `<p class="empty">${escapeHtml(whenEmpty)}</p>`;
  return `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
}

function renderGlanceItem(id: DimensionId, score: DimensionScore): string {
  const review = score.needsHumanReview ? '<span class="review">⚑ Needs human review</span>' : '';
  return (
    `<li class="glance-${score.rating}"><span class="dimension-name">${escapeHtml(DIMENSION_NAMES[id])}</span>` +
    `${renderRating(score.rating)} · confidence ${formatConfidence(score.confidence)}${review ? `<br>${review}` : ''}</li>`
  );
}

function renderDimension(id: DimensionId, score: DimensionScore, turnIds: ReadonlySet<number>): string {
  const headingId = `dimension-${id}`;
  const review = score.needsHumanReview ? ' <span class="review">⚑ Needs human review: repeated evaluations disagreed.</span>' : '';
  const evidence =
    score.evidence.length > 0
      ? `<ul class="evidence">${score.evidence.map((item) => renderEvidence(item, turnIds)).join('')}</ul>`
      : '<p class="empty">No evidence cited.</p>';
  return (
    `<section class="dimension" aria-labelledby="${headingId}"><h3 id="${headingId}">${escapeHtml(DIMENSION_NAMES[id])}</h3>` +
    `<p class="dimension-rating">${renderRating(score.rating)} · confidence ${formatConfidence(score.confidence)}${review}</p>` +
    `${renderProse(score.rationale, 'No rationale given.')}<h4>Evidence</h4>${evidence}</section>`
  );
}

function renderTurn(turn: Turn, quotes: readonly string[]): string {
  const role = turn.role === 'candidate' ? 'Candidate' : 'Interviewer';
  return (
    `<li class="turn turn-${turn.role}" id="turn-${turn.id}" tabindex="-1">` +
    `<p class="turn-header"><a href="#turn-${turn.id}">Turn ${turn.id}</a> · <span class="turn-role">${role}</span> · ${escapeHtml(PHASE_BUDGETS[turn.phase].title)}</p>` +
    `<p class="turn-text">${renderTurnText(turn.text, quotes)}</p></li>`
  );
}

/**
 * The scorecard and the transcript it cites as one self-contained HTML page: every evidence item links to
 * its turn, and the turn is highlighted when the link is followed. Opens from disk with nothing else.
 */
export function renderHtml(scorecard: Scorecard, transcript: Transcript, options: ReportOptions = {}): string {
  const turnIds = new Set(transcript.turns.map((turn) => turn.id));
  const quotesByTurn = new Map<number, string[]>();
  for (const id of DimensionId.options) {
    for (const evidence of scorecard.dimensions[id].evidence) {
      quotesByTurn.set(evidence.turnId, [...(quotesByTurn.get(evidence.turnId) ?? []), evidence.quote]);
    }
  }
  for (const issue of scorecard.interviewerIssues) quotesByTurn.set(issue.turnId, [...(quotesByTurn.get(issue.turnId) ?? []), issue.quote]);

  const heuristicNote = scorecard.meta.heuristic ? `<p class="notice">${escapeHtml(HEURISTIC_NOTE)}</p>` : '';
  const recommendation = scorecard.recommendation;
  const meta = describeMeta(scorecard.meta, options)
    .map(({ label, value }) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  const integrityFlags =
    scorecard.integrityFlags.length > 0
      ? `<ul>${scorecard.integrityFlags.map((flag) => renderIntegrityFlag(flag, turnIds)).join('')}</ul>`
      : '<p class="empty">None.</p>';
  const interviewerIssues =
    scorecard.interviewerIssues.length > 0
      ? `<ul>${scorecard.interviewerIssues.map((issue) => renderInterviewerIssue(issue, turnIds)).join('')}</ul>`
      : '<p class="empty">None noticed.</p>';
  const turns =
    transcript.turns.length > 0
      ? `<ol class="turns">${transcript.turns.map((turn) => renderTurn(turn, quotesByTurn.get(turn.id) ?? [])).join('')}</ol>`
      : '<p class="empty">The transcript has no turns.</p>';

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Scorecard: ${escapeHtml(scorecard.problem)}</title>
<style>${STYLES}</style>
</head>
<body>
<div class="page">
<header class="report">
<h1>Scorecard: ${escapeHtml(scorecard.problem)}</h1>
${heuristicNote}
<p class="subtitle">Transcript ${escapeHtml(scorecard.transcriptId)} · ${transcript.turns.length} turns</p>
<div class="recommendation">
<span>Recommendation:</span>
<span class="badge recommendation-${recommendation}">${escapeHtml(RECOMMENDATION_LABELS[recommendation])}</span>
<p class="advice">${escapeHtml(ADVICE_SENTENCE)}</p>
</div>
${renderProse(scorecard.summary, 'No summary.')}
</header>
<main>
<section aria-labelledby="glance-heading">
<h2 id="glance-heading">Ratings at a glance</h2>
<ul class="glance">${DimensionId.options.map((id) => renderGlanceItem(id, scorecard.dimensions[id])).join('')}</ul>
</section>
<div class="columns">
<section class="card details" aria-labelledby="details-heading">
<h2 id="details-heading">Scorecard details</h2>
${DimensionId.options.map((id) => renderDimension(id, scorecard.dimensions[id], turnIds)).join('\n')}
<h2>Strengths</h2>
${renderList(scorecard.strengths, 'None listed.')}
<h2>Growth areas</h2>
${renderList(scorecard.growthAreas, 'None listed.')}
<h2>Feedback</h2>
${renderProse(scorecard.feedback, 'No feedback.')}
<h2>Integrity flags</h2>
${integrityFlags}
<h2>Interviewer conduct</h2>
<p>${escapeHtml(INTERVIEWER_ISSUES_NOTE)}</p>
${interviewerIssues}
<h2>Meta</h2>
${heuristicNote}
<dl class="meta">${meta}</dl>
</section>
<section class="card transcript" aria-labelledby="transcript-heading">
<h2 id="transcript-heading">Transcript</h2>
<p class="transcript-note">${escapeHtml(TRANSCRIPT_NOTE)}</p>
${turns}
</section>
</div>
</main>
<footer class="report"><p>Scorecard created ${escapeHtml(scorecard.meta.createdAt)} by ${escapeHtml(scorecard.meta.engine)}. ${escapeHtml(ADVICE_SENTENCE)}</p></footer>
</div>
</body>
</html>
`;
}
