import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './errors.ts';
import { loadConceptList, type Concept } from './offline/concept-lexicon.ts';
import type { ProblemCard } from './problems/problem-card.ts';
import { loadProblemBank } from './problems/load-problems.ts';
import { PromptLibrary, contentVersion } from './prompts/prompt-library.ts';

/** The project root: prompts/ and references/ are found from here wherever the process was started. */
export const PROJECT_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** The interviewer guide, verbatim, and its version. */
export interface Guide {
  readonly text: string;
  readonly version: string;
}

/** Everything read from disk once at start: prompts, the guide, the problem bank, the concept list. */
export interface Resources {
  readonly prompts: PromptLibrary;
  readonly guide: Guide;
  readonly problems: ReadonlyMap<string, ProblemCard>;
  readonly concepts: readonly Concept[];
}

export function loadResources(root: string = PROJECT_ROOT): Resources {
  const guidePath = join(root, 'references', 'interviewer-guide.md');
  let guideText: string;
  try {
    guideText = readFileSync(guidePath, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the interviewer guide at ${guidePath}`, { cause: error });
  }
  return {
    prompts: PromptLibrary.load(join(root, 'prompts')),
    guide: { text: guideText, version: contentVersion(guideText) },
    problems: loadProblemBank(join(root, 'references', 'problems')),
    concepts: loadConceptList(join(root, 'references', 'concepts.yaml')),
  };
}

export function findProblem(resources: Resources, id: string): ProblemCard {
  const problem = resources.problems.get(id);
  if (!problem) throw new ConfigError(`unknown problem "${id}"; known problems: ${[...resources.problems.keys()].join(', ')}`);
  return problem;
}
