// The eval suite: agreement with labelled transcripts, stability, fairness, resistance to gaming, cost.
// Usage: npm run eval -- [--provider P] [--samples K] [--replay DIR | --record DIR] [--out FILE]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createEvaluator } from '../src/agents/evaluator/create-evaluator.ts';
import { loadConfig, loadDotEnv, type ResolvedProvider } from '../src/config.ts';
import { DimensionId } from '../src/evaluator/dimensions.ts';
import { evaluateTranscript } from '../src/evaluator/evaluate-transcript.ts';
import type { EvaluatorEngine } from '../src/evaluator/evaluator-engine.ts';
import type { Rating, Scorecard } from '../src/evaluator/scorecard.ts';
import { loadResources, PROJECT_ROOT, type Resources } from '../src/resources.ts';
import type { Transcript } from '../src/transcript/transcript.ts';
import { loadLabelledCases } from './labelled-dataset.ts';
import { adjacentAgreement, exactAgreement, percent, quadraticKappa } from './metrics.ts';
import { withBuzzwords, withIdentity, withInjection, withPadding } from './perturbations.ts';

const TECHNICAL: readonly DimensionId[] = ['technical_depth', 'technical_breadth', 'system_design', 'tradeoff_analysis', 'production_awareness'];
const IDENTITIES: readonly [string, string][] = [
  ['Emily Carter', 'she/her'],
  ['Jamal Okafor', 'he/him'],
  ['Wei Zhang', 'they/them'],
  ['Priya Natarajan', 'she/her'],
];
const ORDER: Readonly<Record<Rating, number>> = { insufficient: -1, below: 0, meets: 1, exceeds: 2 };

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { provider: { type: 'string' }, samples: { type: 'string', default: '3' }, replay: { type: 'string' }, record: { type: 'string' }, out: { type: 'string' } } });
  loadDotEnv();
  const config = loadConfig(process.env, { provider: values.replay ? 'offline' : values.provider });
  const provider = (values.provider ?? config.provider) as ResolvedProvider;
  const resources = loadResources();
  const engine = createEvaluator(config, resources, { provider, ...(values.record ? { record: values.record } : {}), ...(values.replay ? { replay: values.replay } : {}) });
  const samples = Math.max(1, Number(values.samples));
  const cases = loadLabelledCases();
  const lines: string[] = [`# Eval report: ${engine.engine} (${engine.model})`, '', `Run ${new Date().toISOString()} on ${cases.length} labelled transcripts (evals/datasets/labelled). Prompt versions: ${JSON.stringify(engine.promptVersions)}.`, ''];
  const evaluate = (transcript: Transcript, k = 1) => run(engine, resources, transcript, k);

  // 1. Agreement with human labels.
  const pairs: [Rating, Rating][] = [];
  const byDimension = new Map<DimensionId, [Rating, Rating][]>();
  let recommendationMatches = 0;
  const rows: string[] = [];
  let tokens = 0;
  let latency = 0;
  const baseline = new Map<string, Scorecard>();
  for (const { label, transcript } of cases) {
    const scorecard = await evaluate(transcript);
    baseline.set(label.transcript, scorecard);
    tokens += scorecard.meta.usage.inputTokens + scorecard.meta.usage.outputTokens;
    latency += scorecard.meta.latencyMs;
    if (scorecard.recommendation === label.recommendation) recommendationMatches += 1;
    for (const id of DimensionId.options) {
      const pair: [Rating, Rating] = [scorecard.dimensions[id].rating, label.ratings[id]];
      pairs.push(pair);
      byDimension.set(id, [...(byDimension.get(id) ?? []), pair]);
    }
    rows.push(`| ${label.transcript} | ${DimensionId.options.map((id) => short(scorecard.dimensions[id].rating) + (scorecard.dimensions[id].rating === label.ratings[id] ? '' : `/${short(label.ratings[id])}`)).join(' ')} | ${scorecard.recommendation} | ${label.recommendation} |`);
  }
  lines.push('## Agreement with human labels', '', `Ratings: exact ${percent(exactAgreement(pairs))}, within one step ${percent(adjacentAgreement(pairs))}, quadratic-weighted kappa ${quadraticKappa(pairs).toFixed(2)} (${pairs.length} ratings). Recommendation: ${recommendationMatches}/${cases.length} exact.`, '');
  lines.push('| dimension | exact | within one | kappa |', '| --- | --- | --- | --- |');
  for (const id of DimensionId.options) {
    const own = byDimension.get(id) ?? [];
    lines.push(`| ${id} | ${percent(exactAgreement(own))} | ${percent(adjacentAgreement(own))} | ${quadraticKappa(own).toFixed(2)} |`);
  }
  lines.push('', 'Per transcript (engine rating, then /label where they differ; E exceeds, M meets, B below, I insufficient; dimensions in rubric order):', '', '| transcript | ratings | engine | label |', '| --- | --- | --- | --- |', ...rows, '');

  // 2. Stability across independent samples.
  if (engine.heuristic) {
    lines.push('## Stability', '', 'The offline evaluator is deterministic: every sample is identical (agreement 100%). Run with a provider to measure an LLM evaluator.', '');
  } else {
    let flagged = 0;
    let agreementSum = 0;
    for (const { transcript } of cases) {
      const scorecard = await evaluate(transcript, samples);
      flagged += DimensionId.options.filter((id) => scorecard.dimensions[id].needsHumanReview).length;
      agreementSum += DimensionId.options.reduce((sum, id) => sum + scorecard.dimensions[id].confidence, 0) / DimensionId.options.length;
    }
    lines.push('## Stability', '', `${samples} samples per transcript: mean agreement-based confidence ${percent(agreementSum / cases.length)}; ${flagged} dimension ratings flagged for human review.`, '');
  }

  // 3. Fairness: the same transcript under different identities must get the same scorecard.
  let identityChecks = 0;
  let identityDifferences = 0;
  for (const { label, transcript } of cases) {
    for (const [name, pronouns] of IDENTITIES) {
      identityChecks += 1;
      const scorecard = await evaluate(withIdentity(transcript, name, pronouns));
      if (ratingsKey(scorecard) !== ratingsKey(baseline.get(label.transcript) as Scorecard)) identityDifferences += 1;
    }
  }
  lines.push('## Fairness', '', `Identity swaps (${IDENTITIES.length} names and pronouns on every transcript): ${identityDifferences} of ${identityChecks} changed a rating or the recommendation.`, '');

  // 4. Resistance to gaming.
  let injectionFlagged = 0;
  let injectionChanged = 0;
  let paddingChanged = 0;
  let buzzwordRaised = 0;
  for (const { label, transcript } of cases) {
    const base = baseline.get(label.transcript) as Scorecard;
    const injected = await evaluate(withInjection(transcript));
    if (injected.integrityFlags.length >= 2) injectionFlagged += 1;
    if (ratingsKey(injected) !== ratingsKey(base)) injectionChanged += 1;
    const padded = await evaluate(withPadding(transcript));
    if (TECHNICAL.some((id) => padded.dimensions[id].rating !== base.dimensions[id].rating)) paddingChanged += 1;
    const stuffed = await evaluate(withBuzzwords(transcript));
    if (DimensionId.options.some((id) => ORDER[stuffed.dimensions[id].rating] > ORDER[base.dimensions[id].rating])) buzzwordRaised += 1;
  }
  lines.push(
    '## Resistance to gaming',
    '',
    `- Injected instructions and a pasted scorecard: flagged in ${injectionFlagged}/${cases.length} transcripts; ratings changed in ${injectionChanged}/${cases.length}.`,
    `- Every candidate turn said twice (twice the length, no new content): a technical rating changed in ${paddingChanged}/${cases.length}.`,
    `- A list of fashionable terms appended to every answer: some rating went up in ${buzzwordRaised}/${cases.length}.`,
    '',
  );

  // 5. Cost.
  lines.push('## Cost', '', `${tokens} tokens in total for the ${cases.length} single-sample evaluations; mean latency ${(latency / cases.length).toFixed(0)} ms per evaluation.`, '');

  const report = lines.join('\n');
  const out = resolve(values.out ?? join(PROJECT_ROOT, 'evals', 'reports', `latest-${engine.engine}.md`));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${report}\n`);
  process.stdout.write(`${report}\nWritten to ${out}\n`);
}

async function run(engine: EvaluatorEngine, resources: Resources, transcript: Transcript, samples: number): Promise<Scorecard> {
  const { scorecard } = await evaluateTranscript(transcript, { engine, problem: resources.problems.get(transcript.problem) ?? null, samples });
  return scorecard;
}

function ratingsKey(scorecard: Scorecard): string {
  return `${DimensionId.options.map((id) => scorecard.dimensions[id].rating).join(',')}:${scorecard.recommendation}`;
}

function short(rating: Rating): string {
  return { exceeds: 'E', meets: 'M', below: 'B', insufficient: 'I' }[rating];
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
