// The eval suite: agreement with labelled transcripts, stability, fairness, resistance to gaming, cost.
// Usage: npm run eval -- [--provider P] [--samples K] [--replay DIR | --record DIR] [--out FILE]
// Every scorecard aggregates K samples (default EVALUATOR_SAMPLES, 3), as `npm run evaluate` and the server's do.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createEvaluator } from '../src/agents/evaluator/create-evaluator.ts';
import { parseSamplesOption } from '../src/cli/cli-support.ts';
import { loadConfig, loadDotEnv, type ResolvedProvider } from '../src/config.ts';
import { DimensionId } from '../src/evaluator/dimensions.ts';
import { evaluateTranscript } from '../src/evaluator/evaluate-transcript.ts';
import type { EvaluatorEngine } from '../src/evaluator/evaluator-engine.ts';
import type { Rating, Scorecard } from '../src/evaluator/scorecard.ts';
import { loadResources, PROJECT_ROOT, type Resources } from '../src/resources.ts';
import type { Transcript } from '../src/transcript/transcript.ts';
import { loadLabelledCases, type LabelledCase } from './labelled-dataset.ts';
import { adjacentAgreement, exactAgreement, percent, quadraticKappa, testRetest } from './metrics.ts';
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
  const { values } = parseArgs({ options: { provider: { type: 'string' }, samples: { type: 'string' }, replay: { type: 'string' }, record: { type: 'string' }, out: { type: 'string' } } });
  loadDotEnv();
  const config = loadConfig(process.env, { provider: values.replay ? 'offline' : values.provider });
  const provider = (values.provider ?? config.provider) as ResolvedProvider;
  const resources = loadResources();
  const engine = createEvaluator(config, resources, { provider, ...(values.record ? { record: values.record } : {}), ...(values.replay ? { replay: values.replay } : {}) });
  const samples = parseSamplesOption(values.samples, config.env.EVALUATOR_SAMPLES);
  const report = await buildEvalReport({ engine, resources, cases: loadLabelledCases(), samples });
  const out = resolve(values.out ?? join(PROJECT_ROOT, 'evals', 'reports', `latest-${engine.engine}.md`));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${report}\n`);
  process.stdout.write(`${report}\nWritten to ${out}\n`);
}

/** The whole eval report for one engine, as Markdown. Every scorecard in it aggregates `samples` samples. */
export async function buildEvalReport(options: { engine: EvaluatorEngine; resources: Resources; cases: readonly LabelledCase[]; samples: number }): Promise<string> {
  const { engine, resources, cases, samples } = options;
  const sampling = engine.heuristic
    ? `${samples} samples per scorecard, run once since the offline evaluator is deterministic`
    : `every scorecard aggregates ${samples} independent samples (the median rating, agreement as confidence), as \`npm run evaluate\` and the server's do`;
  const lines: string[] = [`# Eval report: ${engine.engine} (${engine.model})`, '', `Run ${new Date().toISOString()} on ${cases.length} labelled transcripts (evals/datasets/labelled); ${sampling}. Prompt versions: ${JSON.stringify(engine.promptVersions)}.`, ''];
  const scorecards: Scorecard[] = [];
  const evaluate = async (transcript: Transcript, sampleOffset = 0) => {
    const scorecard = await run(engine, resources, transcript, samples, sampleOffset);
    scorecards.push(scorecard);
    return scorecard;
  };

  // 1. Agreement with human labels.
  const pairs: [Rating, Rating][] = [];
  const byDimension = new Map<DimensionId, [Rating, Rating][]>();
  let recommendationMatches = 0;
  const rows: string[] = [];
  const baseline = new Map<string, Scorecard>();
  for (const { label, transcript } of cases) {
    const scorecard = await evaluate(transcript);
    baseline.set(label.transcript, scorecard);
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

  // 2. Stability: agreement between the samples of one run, and between two independent runs (test-retest).
  // How many unchanged transcripts changed a rating or the recommendation between the two runs: the noise
  // floor against which the fairness and gaming counts below are read (none for a deterministic engine).
  let retestChanged = 0;
  if (engine.heuristic) {
    lines.push(
      '## Stability',
      '',
      'The offline evaluator is deterministic: its samples are identical and a second run gives the same scorecard, so its test-retest agreement is 1 by construction (100%), not a measurement. Run with a provider to measure an LLM evaluator.',
      '',
    );
  } else {
    const first = cases.map(({ label }) => baseline.get(label.transcript) as Scorecard);
    const flagged = first.reduce((total, scorecard) => total + DimensionId.options.filter((id) => scorecard.dimensions[id].needsHumanReview).length, 0);
    const meanConfidence = first.reduce((total, scorecard) => total + DimensionId.options.reduce((sum, id) => sum + scorecard.dimensions[id].confidence, 0) / DimensionId.options.length, 0) / Math.max(1, first.length);
    // The second run numbers its samples after the first run's, so its requests are new ones (a recording keeps both runs).
    const pairs: [Scorecard, Scorecard][] = [];
    for (const { label, transcript } of cases) pairs.push([baseline.get(label.transcript) as Scorecard, await evaluate(transcript, samples)]);
    const retest = testRetest(pairs);
    retestChanged = pairs.filter(([first, second]) => ratingsKey(first) !== ratingsKey(second)).length;
    lines.push(
      '## Stability',
      '',
      `Within a run (${samples} samples per transcript): mean agreement-based confidence ${percent(meanConfidence)}; ${flagged} of ${first.length * DimensionId.options.length} dimension ratings flagged for human review (samples agreeing less than two thirds).`,
      '',
      `Test-retest (two independent runs of ${samples} samples each on every transcript): ratings exact ${percent(retest.exact)}, within one step ${percent(retest.withinOne)}, quadratic-weighted kappa ${retest.kappa.toFixed(2)} (${retest.ratings} ratings); the same recommendation in ${Math.round(retest.sameRecommendation * retest.transcripts)}/${retest.transcripts} transcripts.`,
      '',
    );
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
  if (!engine.heuristic) lines.push(`For scale: scoring the unchanged transcripts a second time changed a rating or the recommendation in ${retestChanged} of ${cases.length}; a swap rate well above ${percent(retestChanged / Math.max(1, cases.length))} points at the identity, not at sampling noise.`, '');

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

  // 5. Cost, with what the extra samples add.
  lines.push('## Cost', '', ...describeCost(scorecards, samples, engine.heuristic), '');

  return lines.join('\n');
}

async function run(engine: EvaluatorEngine, resources: Resources, transcript: Transcript, samples: number, sampleOffset: number): Promise<Scorecard> {
  const { scorecard } = await evaluateTranscript(transcript, { engine, problem: resources.problems.get(transcript.problem) ?? null, samples, sampleOffset });
  return scorecard;
}

/** Tokens and latency of every evaluation the suite ran, and the first sample of each against the extra ones. */
function describeCost(scorecards: readonly Scorecard[], samples: number, heuristic: boolean): string[] {
  const total = (pick: (scorecard: Scorecard) => number) => scorecards.reduce((sum, scorecard) => sum + pick(scorecard), 0);
  const tokens = total((scorecard) => scorecard.meta.usage.inputTokens + scorecard.meta.usage.outputTokens);
  const latency = total((scorecard) => scorecard.meta.latencyMs) / Math.max(1, scorecards.length);
  const lines = [`${tokens} tokens in total for the ${scorecards.length} evaluations of this report (${samples} samples each${heuristic ? ', run once' : ''}); mean latency ${latency.toFixed(0)} ms per evaluation.`];
  if (heuristic) return lines;
  const firsts = scorecards.flatMap((scorecard) => scorecard.meta.sampleUsage.slice(0, 1));
  const extras = scorecards.flatMap((scorecard) => scorecard.meta.sampleUsage.slice(1));
  const describe = (usages: typeof firsts) => {
    const input = usages.reduce((sum, usage) => sum + usage.inputTokens, 0);
    const cached = usages.reduce((sum, usage) => sum + usage.cachedInputTokens, 0);
    const output = usages.reduce((sum, usage) => sum + usage.outputTokens, 0);
    const count = Math.max(1, usages.length);
    return `${(input / count).toFixed(0)} input tokens (${percent(input ? cached / input : 0)} read from the cache) and ${(output / count).toFixed(0)} output tokens on average`;
  };
  lines.push('', `- The first sample of an evaluation: ${describe(firsts)} (${firsts.length} samples).`);
  if (extras.length > 0) lines.push(`- Each extra sample: ${describe(extras)} (${extras.length} samples). They send the same prefix as the first, so most of their input is cached.`);
  const failed = total((scorecard) => scorecard.meta.samplesFailed);
  if (failed > 0) lines.push(`- ${failed} samples failed and were left out of their scorecards.`);
  return lines;
}

function ratingsKey(scorecard: Scorecard): string {
  return `${DimensionId.options.map((id) => scorecard.dimensions[id].rating).join(',')}:${scorecard.recommendation}`;
}

function short(rating: Rating): string {
  return { exceeds: 'E', meets: 'M', below: 'B', insufficient: 'I' }[rating];
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
