import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';

/** A prompt file the code relies on, with the exact placeholders it must contain. */
export interface PromptSpec {
  readonly id: string;
  readonly variables: readonly string[];
}

/** A loaded prompt: its text, and a version that changes whenever the text does. */
export interface Prompt {
  readonly id: string;
  readonly version: string;
  readonly template: string;
  readonly variables: readonly string[];
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;

/** Every prompt this application uses. Adding a prompt file means adding it here. */
export const PROMPT_SPECS: readonly PromptSpec[] = [
  { id: 'interviewer/persona', variables: [] },
  { id: 'interviewer/problem-card', variables: ['title', 'opening', 'facts', 'deepDives', 'constraintChanges', 'wrapUp'] },
  { id: 'interviewer/turn-context', variables: ['phase', 'phaseTitle', 'phaseTime', 'phaseTurns', 'totalTime', 'budgetStatus', 'phaseInstructions', 'revealedFacts', 'notes'] },
  { id: 'interviewer/phase-problem_exploration', variables: [] },
  { id: 'interviewer/phase-high_level_design', variables: [] },
  { id: 'interviewer/phase-deep_dive', variables: [] },
  { id: 'interviewer/phase-tradeoffs', variables: [] },
  { id: 'interviewer/phase-wrap_up', variables: [] },
  { id: 'interviewer/closing', variables: [] },
  { id: 'evaluator/system', variables: ['guide', 'minQuoteChars'] },
  { id: 'evaluator/task', variables: ['problem', 'notes', 'transcript', 'minQuoteChars'] },
  { id: 'evaluator/sample', variables: ['sample'] },
  { id: 'evaluator/repair', variables: ['errors', 'minQuoteChars'] },
];

/** Loads and checks every prompt once, at start: a missing file or a wrong placeholder fails here, not mid-interview. */
export class PromptLibrary {
  readonly #prompts: Map<string, Prompt>;

  private constructor(prompts: Map<string, Prompt>) {
    this.#prompts = prompts;
  }

  static load(directory: string, specs: readonly PromptSpec[] = PROMPT_SPECS): PromptLibrary {
    const prompts = new Map<string, Prompt>();
    for (const spec of specs) {
      const path = join(directory, `${spec.id}.md`);
      let template: string;
      try {
        template = readFileSync(path, 'utf8');
      } catch (error) {
        throw new ConfigError(`prompt ${spec.id}: cannot read ${path}`, { cause: error });
      }
      const found = new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1] as string));
      const unknown = [...found].filter((name) => !spec.variables.includes(name));
      const missing = spec.variables.filter((name) => !found.has(name));
      if (unknown.length) throw new ConfigError(`prompt ${spec.id}: unknown placeholder(s) ${unknown.map((name) => `{{${name}}}`).join(', ')}`);
      if (missing.length) throw new ConfigError(`prompt ${spec.id}: missing placeholder(s) ${missing.map((name) => `{{${name}}}`).join(', ')}`);
      prompts.set(spec.id, { id: spec.id, version: contentVersion(template), template, variables: spec.variables });
    }
    return new PromptLibrary(prompts);
  }

  get(id: string): Prompt {
    const prompt = this.#prompts.get(id);
    if (!prompt) throw new ConfigError(`prompt ${id} is not registered in PROMPT_SPECS`);
    return prompt;
  }

  /** Fills a prompt's placeholders. Every declared variable must be given, and no other. */
  render(id: string, values: Readonly<Record<string, string>> = {}): string {
    const prompt = this.get(id);
    const given = Object.keys(values);
    const missing = prompt.variables.filter((name) => !(name in values));
    const extra = given.filter((name) => !prompt.variables.includes(name));
    if (missing.length || extra.length) {
      throw new ConfigError(`prompt ${id}: render got wrong variables (missing: ${missing.join(', ') || 'none'}; unknown: ${extra.join(', ') || 'none'})`);
    }
    // A function replacer, so `$` sequences in candidate-provided values are never interpreted.
    return prompt.template.replace(PLACEHOLDER, (_match, name: string) => values[name] ?? '');
  }

  /** `id@version` of the given prompts, recorded in turns, sessions and scorecards. */
  versions(ids: readonly string[]): Record<string, string> {
    return Object.fromEntries(ids.map((id) => [id, this.get(id).version]));
  }
}

/** The first 12 hex digits of the text's SHA-256: short, stable, changes with any edit. */
export function contentVersion(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
