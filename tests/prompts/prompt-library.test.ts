import { appendFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildEvaluatorRequest, buildRepairRequest } from '../../src/agents/evaluator/evaluator-request.ts';
import { buildInterviewerRequest } from '../../src/agents/interviewer/interviewer-request.ts';
import { ConfigError } from '../../src/errors.ts';
import { checkBudget } from '../../src/interview/phase-machine.ts';
import type { InterviewState } from '../../src/interview/interview-state.ts';
import { PROMPT_SPECS, PromptLibrary, contentVersion } from '../../src/prompts/prompt-library.ts';
import { PROJECT_ROOT } from '../../src/resources.ts';
import { START, problem, resources, startSession } from '../interview/interview-helpers.ts';

const PROMPTS_DIR = join(PROJECT_ROOT, 'prompts');
const temporaryDirs: string[] = [];

/** A copy of the real prompts folder that a test may break. */
function promptsCopy(): string {
  const directory = mkdtempSync(join(tmpdir(), 'mlsd-prompts-'));
  temporaryDirs.push(directory);
  cpSync(PROMPTS_DIR, directory, { recursive: true });
  return directory;
}

afterEach(() => {
  for (const directory of temporaryDirs.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function loadError(directory: string): ConfigError {
  try {
    PromptLibrary.load(directory);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the prompts loaded');
}

function markdownFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => relative(directory, join(directory, name)).replace(/\\/g, '/').replace(/\.md$/, ''))
    .sort();
}

describe('PromptLibrary.load on the project prompts', () => {
  const library = PromptLibrary.load(PROMPTS_DIR);

  it('loads every registered prompt with a 12-digit content version', () => {
    for (const spec of PROMPT_SPECS) {
      const prompt = library.get(spec.id);
      expect(prompt.version, spec.id).toMatch(/^[0-9a-f]{12}$/);
      expect(prompt.version).toBe(contentVersion(readFileSync(join(PROMPTS_DIR, `${spec.id}.md`), 'utf8')));
      expect(prompt.variables).toEqual(spec.variables);
    }
  });

  it('registers every prompt file, and has a file for every registered prompt', () => {
    expect(markdownFiles(PROMPTS_DIR)).toEqual(PROMPT_SPECS.map((spec) => spec.id).sort());
  });

  it('renders every prompt with its declared variables and leaves no placeholder behind', () => {
    for (const spec of PROMPT_SPECS) {
      const values = Object.fromEntries(spec.variables.map((name) => [name, `<${name}>`]));
      const rendered = library.render(spec.id, values);
      expect(rendered, spec.id).not.toMatch(/\{\{/);
      for (const name of spec.variables) expect(rendered).toContain(`<${name}>`);
    }
  });

  it('refuses to render with a missing or an unknown variable, naming the prompt', () => {
    expect(() => library.render('evaluator/repair', {})).toThrow('prompt evaluator/repair: render got wrong variables (missing: errors, minQuoteChars; unknown: none)');
    expect(() => library.render('interviewer/persona', { name: 'x' })).toThrow('prompt interviewer/persona: render got wrong variables (missing: none; unknown: name)');
    expect(() => library.get('interviewer/unknown')).toThrow('prompt interviewer/unknown is not registered in PROMPT_SPECS');
  });

  it('inserts values literally, even with $ sequences in candidate text', () => {
    expect(library.render('evaluator/repair', { errors: "$& $1 $$ $' {{errors}}", minQuoteChars: '8' })).toContain("$& $1 $$ $' {{errors}}");
  });

  it('reports versions by id', () => {
    expect(library.versions(['interviewer/persona', 'evaluator/system'])).toEqual({
      'interviewer/persona': library.get('interviewer/persona').version,
      'evaluator/system': library.get('evaluator/system').version,
    });
  });
});

describe('PromptLibrary.load on a broken prompts folder', () => {
  it('fails at load on a missing placeholder, naming the prompt and the placeholder', () => {
    const directory = promptsCopy();
    const path = join(directory, 'interviewer', 'problem-card.md');
    writeFileSync(path, readFileSync(path, 'utf8').replace('{{facts}}', '(facts go here)'));
    const error = loadError(directory);
    expect(error.code).toBe('config_invalid');
    expect(error.message).toBe('prompt interviewer/problem-card: missing placeholder(s) {{facts}}');
  });

  it('fails at load on an unknown placeholder, naming the prompt and the placeholder', () => {
    const directory = promptsCopy();
    appendFileSync(join(directory, 'interviewer', 'persona.md'), '\nThe candidate is {{candidateName}}.\n');
    expect(loadError(directory).message).toBe('prompt interviewer/persona: unknown placeholder(s) {{candidateName}}');
  });

  it('accepts spaces inside the braces as the same placeholder', () => {
    const directory = promptsCopy();
    const path = join(directory, 'evaluator', 'repair.md');
    writeFileSync(path, readFileSync(path, 'utf8').replace('{{errors}}', '{{ errors }}'));
    expect(PromptLibrary.load(directory).render('evaluator/repair', { errors: 'E1', minQuoteChars: '8' })).toContain('E1');
  });

  it('fails at load on a missing file, naming the prompt and the path', () => {
    const directory = promptsCopy();
    const path = join(directory, 'interviewer', 'phase-wrap_up.md');
    unlinkSync(path);
    const error = loadError(directory);
    expect(error.message).toBe(`prompt interviewer/phase-wrap_up: cannot read ${path}`);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('changes the version of exactly the prompt whose text changed', () => {
    const directory = promptsCopy();
    const before = PromptLibrary.load(directory);
    appendFileSync(join(directory, 'interviewer', 'phase-deep_dive.md'), '- Ask for one number in every answer.\n');
    const after = PromptLibrary.load(directory);
    for (const spec of PROMPT_SPECS) {
      if (spec.id === 'interviewer/phase-deep_dive') expect(after.get(spec.id).version).not.toBe(before.get(spec.id).version);
      else expect(after.get(spec.id).version, spec.id).toBe(before.get(spec.id).version);
    }
  });
});

describe('contentVersion', () => {
  it('is stable for equal text and differs for any edit', () => {
    expect(contentVersion('abc')).toBe(contentVersion('abc'));
    expect(contentVersion('abc')).toBe('ba7816bf8f01');
    expect(contentVersion('abc ')).not.toBe(contentVersion('abc'));
  });
});

describe('rendered interviewer request (snapshot)', () => {
  it('renders the system prompt and the turn context for eta-prediction in the deep dive', () => {
    const card = problem('eta-prediction');
    const { prompts, guide } = resources();
    const opened = startSession(card).session.state;
    const phaseStarted = new Date(START.getTime() + 20 * 60_000);
    const now = new Date(START.getTime() + 26 * 60_000);
    const state: InterviewState = {
      ...opened,
      phase: 'deep_dive',
      phaseStartedAt: phaseStarted.toISOString(),
      candidateTurnsInPhase: 3,
      revealedFacts: [{ factId: 'order-volume', turnId: 3 }],
      notes: [{ dimension: 'problem_navigation', turnId: 2, observation: 'Asked for the order volume before designing.' }],
    };
    const request = buildInterviewerRequest({ guide, prompts, problem: card, state, budget: checkBudget(state, now, 2), now, forcedTransition: null });
    expect(request.system).toHaveLength(2);
    expect(request.system[0]).toEqual({ text: guide.text });
    expect(request.system[1]?.cache).toBe(true);
    expect(request.system[1]?.text).toMatchSnapshot('persona and problem card');
    const context = request.messages.at(-1);
    expect(context?.role).toBe('user');
    expect(context?.role === 'user' ? context.content : '').toMatchSnapshot('turn context');
  });
});

describe('rendered evaluator request (snapshot)', () => {
  it('renders the system prompt, the task, the number of the second sample and a repair round', () => {
    const { prompts, guide } = resources();
    const transcript = {
      id: 'snapshot-1',
      problem: 'fraud-detection',
      candidate: {},
      turns: [
        { id: 1, role: 'interviewer' as const, phase: 'problem_exploration' as const, text: 'Where would you like to start?' },
        { id: 2, role: 'candidate' as const, phase: 'problem_exploration' as const, text: 'How late do chargebacks arrive?' },
      ],
    };
    const request = buildEvaluatorRequest({ prompts, guide, transcript, problem: null, notes: [{ dimension: 'problem_navigation', turnId: 2, observation: 'asked about label delay' }], sample: 2 });
    const system = request.system[0]?.text ?? '';
    const guideAt = system.indexOf(guide.text);
    // The guide closes the system prompt: everything before it is the evaluator's own instructions.
    expect(system.slice(guideAt + guide.text.length).trim()).toBe('');
    expect(system.slice(0, guideAt)).toMatchSnapshot('system prompt without the guide');
    const [task, sample] = request.messages;
    expect(task?.role === 'user' ? task.content : '').toMatchSnapshot('task');
    expect(sample).toEqual({ role: 'user', content: 'This is independent evaluation 2 of this transcript: reach your own judgement from the transcript.\n' });
    const repair = buildRepairRequest(request, '{}', ['technical_depth: turn 2, quote "Yes.": the quote is shorter than 8 characters'], prompts).messages.at(-1);
    expect(repair?.role === 'user' ? repair.content : '').toMatchSnapshot('repair');
  });
});

